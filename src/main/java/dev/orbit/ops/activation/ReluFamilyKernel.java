package dev.orbit.ops.activation;

import static org.bytedeco.pytorch.global.torch.atan2;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

import dev.orbit.ops.KernelBlock;
import dev.orbit.ops.KernelRule;

/**
 * φ(x) = a·x for x < 0, b·x for x > 0 (ReLU a = 0, b = 1; identity a = b = 1; leaky ReLU a = slope, b = 1), by
 * the arc-cosine closed form. With θ = atan2(√(q11q22 − q12²), q12) (atan2 rather than acos(ρ): no division,
 * and the clamped determinant keeps it defined when rounding makes q12² exceed q11q22):
 * Σ' = ((a−b)²/2π)·√(q11q22 − q12²) + Σ̇·q12, Σ̇ = (a² + b²)/2 − (a−b)²θ/2π.
 */
public record ReluFamilyKernel(double negativeSlope, double positiveSlope) implements KernelRule {
    public static final ReluFamilyKernel RELU = new ReluFamilyKernel(0, 1);
    public static final ReluFamilyKernel IDENTITY = new ReluFamilyKernel(1, 1);

    public ReluFamilyKernel {
        if (!Double.isFinite(negativeSlope) || !Double.isFinite(positiveSlope)) {
            throw new IllegalArgumentException("slopes must be finite");
        }
    }

    @Override
    public KernelBlock apply(KernelBlock in) {
        double a = negativeSlope, b = positiveSlope;
        double kink = (a - b) * (a - b) / (2 * Math.PI), even = (a * a + b * b) / 2;
        Tensor q12 = in.nngp();
        // s = √max(0, q11·q22 − q12²), computed in one temporary
        Tensor s = in.rowVariance().mul(in.colVariance());
        s.addcmul_(q12, q12, new Scalar(-1.0)).clamp_min_(new Scalar(0.0)).sqrt_();
        Tensor slope = atan2(s, q12); // θ ∈ [0, π], then Σ̇ in place
        slope.mul_(new Scalar(-kink)).add_(new Scalar(even));
        Tensor nngp = q12.mul_(slope);
        if (kink != 0) nngp.add_(s, new Scalar(kink));
        Tensor ntk = in.hasNtk() ? in.ntk().mul_(slope) : null;
        // on the diagonal θ = 0 and the determinant vanishes: Σ'(x, x) = (a² + b²)/2 · q(x)
        return new KernelBlock(nngp, ntk, in.rowVariance().mul(new Scalar(even)), in.colVariance().mul(new Scalar(even)));
    }

    @Override
    public String describe() {
        if (equals(RELU)) return "relu (arc-cosine closed form)";
        if (equals(IDENTITY)) return "identity";
        return "piecewise linear a=" + negativeSlope + ", b=" + positiveSlope + " (arc-cosine closed form)";
    }
}
