package dev.orbit.spectra;

import org.bytedeco.pytorch.Scalar;

import dev.orbit.ops.KernelBlock;
import dev.orbit.ops.KernelRule;

/**
 * A fully connected layer in the NTK parameterisation, h = σ_w·W·x/√n + σ_b·b with W, b ~ N(0, 1):
 * Σ' = σ_w²·Σ + σ_b², Θ' = Σ' + σ_w²·Θ.
 */
public record DenseKernel(double weightVariance, double biasVariance) implements KernelRule {
    public DenseKernel {
        if (!(weightVariance > 0) || !Double.isFinite(weightVariance)) {
            throw new IllegalArgumentException("σ_w² must be positive and finite, got " + weightVariance);
        }
        if (!(biasVariance >= 0) || !Double.isFinite(biasVariance)) {
            throw new IllegalArgumentException("σ_b² must be non-negative and finite, got " + biasVariance);
        }
    }

    @Override
    public KernelBlock apply(KernelBlock in) {
        Scalar w = new Scalar(weightVariance), b = new Scalar(biasVariance);
        var nngp = in.nngp().mul_(w).add_(b);
        var ntk = in.hasNtk() ? in.ntk().mul_(w).add_(nngp) : null;
        return new KernelBlock(nngp, ntk, in.rowVariance().mul(w).add_(b), in.colVariance().mul(w).add_(b));
    }

    @Override
    public String describe() { return "dense (σ_w² = " + weightVariance + ", σ_b² = " + biasVariance + ")"; }
}
