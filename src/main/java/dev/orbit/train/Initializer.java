package dev.orbit.train;

import java.util.Locale;
import java.util.random.RandomGenerator;

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
            float[] w = new float[Math.toIntExact(rows * cols)];
            boolean wide = rows < cols;
            int m = (int) Math.max(rows, cols);
            int n = (int) Math.min(rows, cols);
            double[][] a = new double[n][m]; // the tall Gaussian matrix, column by column
            for (double[] column : a) for (int i = 0; i < m; i++) column[i] = rng.nextGaussian();
            double[][] q = haarColumns(a, m);
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < m; i++) w[(int) (wide ? j * cols + i : i * cols + j)] = (float) (gain * q[j][i]);
            }
            return NdArray.ofFloats(w, shape);
        }

        @Override public String spec() { return "orthogonal:" + gain; }
    }

    /**
     * Householder QR of the m×n matrix (m ≥ n) given by its columns (overwritten), returning the n orthonormal
     * columns of Q·diag(sign(diag R)). Plain Java: deterministic on every platform, and faster here than
     * libtorch's linalg_qr (1024²: 0.4–0.7 s against 3.5–5 s, measured on the loaded 2-core machine).
     */
    private static double[][] haarColumns(double[][] a, int m) {
        int n = a.length;
        double[] beta = new double[n];
        boolean[] flip = new boolean[n];
        for (int k = 0; k < n; k++) {
            double[] v = a[k];
            double norm = Math.sqrt(dot(v, v, k, m));
            double rkk = v[k] > 0 ? -norm : norm; // the sign that avoids cancellation in v[k] − rkk
            flip[k] = rkk < 0;
            v[k] -= rkk;
            double vv = dot(v, v, k, m);
            beta[k] = vv == 0 ? 0 : 2 / vv;
            for (int j = k + 1; j < n; j++) reflect(v, beta[k], a[j], k, m);
        }
        // Q = H₀…Hₙ₋₁·I[:, :n], applied from the last reflector; column j is untouched by reflectors k > j
        double[][] q = new double[n][m];
        for (int j = 0; j < n; j++) q[j][j] = 1;
        for (int k = n - 1; k >= 0; k--) for (int j = k; j < n; j++) reflect(a[k], beta[k], q[j], k, m);
        for (int j = 0; j < n; j++) if (flip[j]) for (int i = 0; i < m; i++) q[j][i] = -q[j][i];
        return q;
    }

    /** c ← c − β·v·(vᵀc) over rows from..m. */
    private static void reflect(double[] v, double beta, double[] c, int from, int m) {
        double s = beta * dot(v, c, from, m);
        for (int i = from; i < m; i++) c[i] -= s * v[i];
    }

    /** Four partial sums let the JIT pipeline the loop (about 2x over one running sum). */
    private static double dot(double[] x, double[] y, int from, int to) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            s0 += x[i] * y[i];
            s1 += x[i + 1] * y[i + 1];
            s2 += x[i + 2] * y[i + 2];
            s3 += x[i + 3] * y[i + 3];
        }
        for (; i < to; i++) s0 += x[i] * y[i];
        return (s0 + s1) + (s2 + s3);
    }

    /** in·k… of a weight [out, in, k…]. */
    static long fanIn(long[] shape) {
        if (shape.length < 2) throw new IllegalArgumentException("a weight has rank ≥ 2, got rank " + shape.length);
        long f = 1;
        for (int i = 1; i < shape.length; i++) f *= shape[i];
        return f;
    }

    /** out·k… of a weight [out, in, k…]. */
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
     * {@code orthogonal[:GAIN]} (also he, glorot, normal, torch). A bare {@code kaiming} takes {@code kaimingGain}
     * (the activation's gain, {@code dev.orbit.ops.Activation.gain()}, declared by its op); the other gains default to 1. Malformed text throws {@link IllegalArgumentException} with a message for the user.
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
