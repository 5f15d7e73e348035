package dev.orbit.train;

import java.util.Locale;
import java.util.random.RandomGenerator;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.global.torch;

import dev.orbit.tensor.NdArray;

/**
 * How fresh weights are drawn. A weight shape is [out, in, k…] as in PyTorch (Gemm with transB=1, Conv): fan-in
 * is in·k…, fan-out is out·k…. Values are float32; draws come from the caller's seeded generator so a seed
 * fixes the network. Biases are zero except for {@link TorchDefault}.
 */
public sealed interface Initializer {
    /** A weight of the given shape (rank ≥ 2). */
    NdArray weight(long[] shape, RandomGenerator rng);

    /** The bias that goes with a weight of shape {@code weightShape}: one value per output. */
    default NdArray bias(long[] weightShape, RandomGenerator rng) {
        return NdArray.ofFloats(new float[Math.toIntExact(weightShape[0])], weightShape[0]);
    }

    /** The spec that {@link #parse} reads back. */
    String spec();

    /** He et al.: N(0, (gain/√fan_in)²); gain √2 suits ReLU. */
    record Kaiming(double gain) implements Initializer {
        @Override public NdArray weight(long[] shape, RandomGenerator rng) {
            return gaussian(shape, gain / Math.sqrt(fanIn(shape)), rng);
        }

        @Override public String spec() { return "kaiming:" + gain; }
    }

    /** Glorot and Bengio: N(0, gain²·2/(fan_in + fan_out)). */
    record Xavier(double gain) implements Initializer {
        @Override public NdArray weight(long[] shape, RandomGenerator rng) {
            return gaussian(shape, gain * Math.sqrt(2.0 / (fanIn(shape) + fanOut(shape))), rng);
        }

        @Override public String spec() { return "xavier:" + gain; }
    }

    /** N(0, σ²) whatever the shape. */
    record Gaussian(double sigma) implements Initializer {
        @Override public NdArray weight(long[] shape, RandomGenerator rng) { return gaussian(shape, sigma, rng); }

        @Override public String spec() { return "gaussian:" + sigma; }
    }

    /**
     * What a fresh {@code torch.nn.Linear}/{@code Conv2d} holds: kaiming_uniform with a = √5 gives
     * U(−1/√fan_in, 1/√fan_in) for the weight, and the bias is drawn from the same range.
     */
    record TorchDefault() implements Initializer {
        @Override public NdArray weight(long[] shape, RandomGenerator rng) {
            return uniform(shape, 1 / Math.sqrt(fanIn(shape)), rng);
        }

        @Override public NdArray bias(long[] weightShape, RandomGenerator rng) {
            return uniform(new long[] {weightShape[0]}, 1 / Math.sqrt(fanIn(weightShape)), rng);
        }

        @Override public String spec() { return "default"; }
    }

    /**
     * A Haar-distributed (semi-)orthogonal matrix times {@code gain}: QR of a Gaussian matrix in its tall
     * orientation, signs fixed by Q·diag(sign(diag R)) (without it Q is not uniformly distributed). Kernels are
     * flattened to [out, in·k…]; a wide matrix gets orthonormal rows, a tall one orthonormal columns.
     */
    record Orthogonal(double gain) implements Initializer {
        @Override public NdArray weight(long[] shape, RandomGenerator rng) {
            long rows = shape[0];
            long cols = fanIn(shape);
            boolean wide = rows < cols;
            long m = Math.max(rows, cols);
            long n = Math.min(rows, cols);
            double[] a = new double[Math.toIntExact(m * n)];
            for (int i = 0; i < a.length; i++) a[i] = rng.nextGaussian();
            double[] q;
            double[] diagR = new double[(int) n];
            try (PointerScope scope = new PointerScope()) {
                NdArray g = NdArray.ofDoubles(a, m, n);
                T_TensorTensor_T qr = torch.linalg_qr(g.torchView()); // reduced: Q m×n, R n×n
                q = NdArray.fromTorch(qr.get0()).toDoubleArray();
                double[] r = NdArray.fromTorch(qr.get1()).toDoubleArray();
                for (int j = 0; j < n; j++) diagR[j] = r[(int) (j * n + j)];
                java.lang.ref.Reference.reachabilityFence(g);
            }
            float[] w = new float[Math.toIntExact(rows * cols)];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double v = gain * q[(int) (i * n + j)] * (diagR[j] < 0 ? -1 : 1);
                    // the tall Q is cols×rows for a wide weight: write its transpose
                    w[(int) (wide ? j * cols + i : i * cols + j)] = (float) v;
                }
            }
            return NdArray.ofFloats(w, shape);
        }

        @Override public String spec() { return "orthogonal:" + gain; }
    }

    static long fanIn(long[] shape) {
        if (shape.length < 2) throw new IllegalArgumentException("a weight has rank ≥ 2, got rank " + shape.length);
        long f = 1;
        for (int i = 1; i < shape.length; i++) f *= shape[i];
        return f;
    }

    static long fanOut(long[] shape) {
        return shape[0] * (fanIn(shape) / shape[1]);
    }

    private static NdArray gaussian(long[] shape, double std, RandomGenerator rng) {
        float[] v = new float[Math.toIntExact(NdArray.count(shape))];
        for (int i = 0; i < v.length; i++) v[i] = (float) (std * rng.nextGaussian());
        return NdArray.ofFloats(v, shape);
    }

    private static NdArray uniform(long[] shape, double bound, RandomGenerator rng) {
        float[] v = new float[Math.toIntExact(NdArray.count(shape))];
        for (int i = 0; i < v.length; i++) v[i] = (float) rng.nextDouble(-bound, bound);
        return NdArray.ofFloats(v, shape);
    }

    /** {@link #parse(String, double)} with Kaiming's ReLU gain √2. */
    static Initializer parse(String text) { return parse(text, Math.sqrt(2)); }

    /**
     * Reads {@code kaiming[:GAIN]}, {@code xavier[:GAIN]}, {@code gaussian:SIGMA}, {@code default} (PyTorch's) or
     * {@code orthogonal[:GAIN]}. A bare {@code kaiming} takes {@code kaimingGain} (the activation's gain); the other
     * gains default to 1. Malformed text throws {@link IllegalArgumentException} with a message for the user.
     */
    static Initializer parse(String text, double kaimingGain) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("empty initializer" + usage());
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split(":", -1);
        if (parts.length > 2) throw new IllegalArgumentException("initializer '" + text + "' has more than one ':'" + usage());
        String name = parts[0];
        Double arg = parts.length == 2 ? number(text, parts[1]) : null;
        return switch (name) {
            case "kaiming", "he" -> new Kaiming(arg == null ? kaimingGain : arg);
            case "xavier", "glorot" -> new Xavier(arg == null ? 1 : arg);
            case "orthogonal" -> new Orthogonal(arg == null ? 1 : arg);
            case "gaussian", "normal" -> {
                if (arg == null) throw new IllegalArgumentException("initializer 'gaussian' needs a standard deviation, "
                        + "e.g. gaussian:0.02");
                yield new Gaussian(arg);
            }
            case "default", "torch" -> {
                if (arg != null) throw new IllegalArgumentException("initializer 'default' takes no argument");
                yield new TorchDefault();
            }
            default -> throw new IllegalArgumentException("unknown initializer '" + parts[0] + "'" + usage());
        };
    }

    private static Double number(String text, String arg) {
        double v;
        try {
            v = Double.parseDouble(arg);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("initializer '" + text + "': '" + arg + "' is not a number");
        }
        if (!Double.isFinite(v) || v <= 0) {
            throw new IllegalArgumentException("initializer '" + text + "': the gain or sigma must be positive");
        }
        return v;
    }

    private static String usage() {
        return " (one of kaiming[:GAIN], xavier[:GAIN], gaussian:SIGMA, default, orthogonal[:GAIN])";
    }
}
