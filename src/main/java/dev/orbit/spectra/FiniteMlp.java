package dev.orbit.spectra;

import static org.bytedeco.pytorch.global.torch.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

import dev.orbit.ops.Activation;
import dev.orbit.tensor.NdArray;

/**
 * A finite fully connected network in the NTK parameterisation, float64, whose empirical NTK converges to
 * {@link MlpKernel}'s as the width grows: h¹ = σ_w·W¹x/√d + σ_b·b¹, x^ℓ = φ(h^ℓ),
 * h^{ℓ+1} = σ_w·W^{ℓ+1}x^ℓ/√n_ℓ + σ_b·b^{ℓ+1}, f = h^{L+1}, every W and b entry N(0, 1).
 *
 * <p>The empirical NTK Θ(x, x') = Σ_θ ∂f/∂θ(x)·∂f/∂θ(x') is contracted layer by layer instead of forming the
 * per-sample Jacobian: with δ^ℓ = ∂f/∂h^ℓ, Θ = Σ_ℓ ⟨δ^ℓ, δ'^ℓ⟩·(σ_w²⟨x^{ℓ−1}, x'^{ℓ−1}⟩/n_{ℓ−1} + σ_b²). Cost: two
 * forward/backward sweeps and one Gram product per layer, no P-sized vectors.
 */
public record FiniteMlp(List<Tensor> weights, List<Tensor> biases, Activation activation, double sigmaW, double sigmaB) {
    public FiniteMlp {
        weights = List.copyOf(weights);
        biases = List.copyOf(biases);
        if (weights.size() != biases.size() || weights.isEmpty()) throw new IllegalArgumentException("one bias per weight matrix");
    }

    /** Random N(0, 1) weights and biases from a seeded Java generator (reproducible, independent of libtorch's). */
    public static FiniteMlp random(int inputs, int width, int depth, int outputs, Activation activation, double sigmaW,
                                   double sigmaB, long seed) {
        if (inputs <= 0 || width <= 0 || outputs <= 0 || depth < 0) throw new IllegalArgumentException("sizes must be positive");
        Random rng = new Random(seed);
        List<Tensor> w = new ArrayList<>(), b = new ArrayList<>();
        int in = inputs;
        for (int l = 0; l <= depth; l++) {
            int out = l == depth ? outputs : width;
            w.add(gaussian(rng, out, in));
            b.add(gaussian(rng, 1, out));
            in = out;
        }
        return new FiniteMlp(w, b, activation, sigmaW, sigmaB);
    }

    private static Tensor gaussian(Random rng, int rows, int cols) {
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = rng.nextGaussian();
        return NdArray.ofDoubles(v, rows, cols).toTorch();
    }

    public int depth() { return weights.size() - 1; }

    public int outputs() { return (int) weights.getLast().size(0); }

    /** Network outputs for a batch (B×d → B×outputs), with libtorch ops only, so autograd differentiates it. */
    public Tensor forward(Tensor x) {
        Tensor h = x;
        for (int l = 0; l < weights.size(); l++) {
            Tensor in = l == 0 ? h : activation.apply(h);
            h = affine(l, in);
        }
        return h;
    }

    private Tensor affine(int layer, Tensor in) {
        Tensor w = weights.get(layer);
        double scale = sigmaW / Math.sqrt(w.size(1));
        return mm(in, w.t()).mul(new Scalar(scale)).add(biases.get(layer), new Scalar(sigmaB));
    }

    /** Empirical NTK between two batches, averaged over the outputs (the infinite-width NTK is the same for each). */
    public Tensor ntk(Tensor x1, Tensor x2) {
        Sweep a = new Sweep(x1), b = new Sweep(x2);
        Tensor total = zeros(new long[] {x1.size(0), x2.size(0)}, new org.bytedeco.pytorch.TensorOptions(ScalarType.Double));
        for (int k = 0; k < outputs(); k++) {
            Tensor[] da = a.deltas(k), db = b.deltas(k);
            for (int l = 0; l < weights.size(); l++) {
                double n = weights.get(l).size(1);
                Tensor inputs = mm(a.inputs.get(l), b.inputs.get(l).t()).mul_(new Scalar(sigmaW * sigmaW / n)).add_(new Scalar(sigmaB * sigmaB));
                total.addcmul_(inputs, mm(da[l], db[l].t()));
            }
        }
        return total.div_(new Scalar((double) outputs()));
    }

    /** One batch's forward pass, kept: each layer's input x^{ℓ−1} and pre-activation h^ℓ. */
    private final class Sweep {
        final List<Tensor> inputs = new ArrayList<>(), preActivations = new ArrayList<>();

        Sweep(Tensor x) {
            Tensor in = x;
            for (int l = 0; l < weights.size(); l++) {
                inputs.add(in);
                Tensor h = affine(l, in);
                preActivations.add(h);
                in = activation.apply(h);
            }
        }

        /** δ^ℓ = ∂f_k/∂h^ℓ for every layer, B×n_ℓ. */
        Tensor[] deltas(int output) {
            int layers = weights.size();
            Tensor[] d = new Tensor[layers];
            long batch = inputs.getFirst().size(0);
            Tensor top = zeros(new long[] {batch, outputs()}, new org.bytedeco.pytorch.TensorOptions(ScalarType.Double));
            top.select(1, output).fill_(new Scalar(1.0));
            d[layers - 1] = top;
            for (int l = layers - 2; l >= 0; l--) {
                Tensor next = weights.get(l + 1);
                Tensor back = mm(d[l + 1], next).mul_(new Scalar(sigmaW / Math.sqrt(next.size(1))));
                d[l] = back.mul_(activation.derivative(preActivations.get(l)));
            }
            return d;
        }
    }
}
