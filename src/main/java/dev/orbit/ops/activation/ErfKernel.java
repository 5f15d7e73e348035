package dev.orbit.ops.activation;

import static org.bytedeco.pytorch.global.torch.mul;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;

import dev.orbit.ops.KernelBlock;
import dev.orbit.ops.KernelRule;

/**
 * φ(x) = a·erf(b·x) + c by its closed form (Williams 1997; neural-tangents' Erf). With every q scaled by b²:
 * Σ' = a²·(2/π)·asin(2q12/√((1 + 2q11)(1 + 2q22))) + c², Σ̇ = a²b²·(4/π)/√((1 + 2q11)(1 + 2q22) − 4q12²).
 */
public record ErfKernel(double a, double b, double c) implements KernelRule {
    public static final ErfKernel ERF = new ErfKernel(1, 1, 0);

    public ErfKernel {
        if (!Double.isFinite(a) || !Double.isFinite(b) || !Double.isFinite(c)) {
            throw new IllegalArgumentException("erf kernel constants must be finite");
        }
    }

    @Override
    public KernelBlock apply(KernelBlock in) {
        double b2 = b * b;
        Tensor q12 = in.nngp();
        // r = (1 + 2b²q11)(1 + 2b²q22)
        Tensor r = mul(in.rowVariance().mul(new Scalar(2 * b2)).add_(new Scalar(1.0)),
                in.colVariance().mul(new Scalar(2 * b2)).add_(new Scalar(1.0)));
        Tensor slope = r.addcmul(q12, q12, new Scalar(-4 * b2 * b2)).rsqrt_().mul_(new Scalar(a * a * b2 * 4 / Math.PI));
        Tensor nngp = q12.mul_(r.rsqrt_()).mul_(new Scalar(2 * b2))
                .clamp_(new ScalarOptional(new Scalar(-1.0)), new ScalarOptional(new Scalar(1.0)))
                .asin_().mul_(new Scalar(a * a * 2 / Math.PI)).add_(new Scalar(c * c));
        Tensor ntk = in.hasNtk() ? in.ntk().mul_(slope) : null;
        return new KernelBlock(nngp, ntk, diagonal(in.rowVariance()), diagonal(in.colVariance()));
    }

    private Tensor diagonal(Tensor q) {
        double b2 = b * b;
        Tensor t = q.mul(new Scalar(2 * b2));
        return t.div(t.add(new Scalar(1.0))).asin_().mul_(new Scalar(a * a * 2 / Math.PI)).add_(new Scalar(c * c));
    }

    @Override
    public String describe() {
        return equals(ERF) ? "erf (closed form)" : "a·erf(b·x)+c with a=" + a + ", b=" + b + ", c=" + c + " (closed form)";
    }
}
