package dev.orbit.ops.activation;

import static org.bytedeco.pytorch.global.torch.abs;
import static org.bytedeco.pytorch.global.torch.lt;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Attr;
import dev.orbit.graph.Attributes;
import dev.orbit.numeric.SpecialFunctions;
import dev.orbit.ops.Activation;
import dev.orbit.ops.ElementwiseOp;
import dev.orbit.ops.OpSupport;

/**
 * Clip, in both opset versions: min(max(x, min), max). As an activation it is hard-tanh, the clip to [−1, 1],
 * whose φ′ ∈ {0, 1} and whose mean-field expectations have closed forms; its pair kernel is the quadrature.
 */
abstract class ClipOp extends ElementwiseOp {
    private static final double SQRT2 = Math.sqrt(2);

    ClipOp() { super("Clip"); }

    /** Clip with the bounds as attributes (absent: unbounded on that side). */
    @Override
    protected Tensor apply(Tensor x, Attributes at) {
        ScalarOptional lo = at.has("min") ? bound(x, at.getFloat("min", 0)) : new ScalarOptional();
        ScalarOptional hi = at.has("max") ? bound(x, at.getFloat("max", 0)) : new ScalarOptional();
        return clamp(x, lo, hi);
    }

    /** A bound in x's kind: an integer input takes integer bounds, or libtorch would promote the result to float. */
    static ScalarOptional bound(Tensor x, double v) {
        return new ScalarOptional(OpSupport.isIntegral(x) ? new Scalar((long) v) : OpSupport.scalar(v));
    }

    /** min(max(x, lo), hi); with neither bound the identity (libtorch's clamp refuses that case). */
    static Tensor clamp(Tensor x, ScalarOptional lo, ScalarOptional hi) {
        if (!lo.has_value() && !hi.has_value()) return new Tensor(x);
        return org.bytedeco.pytorch.global.torch.clamp(x, lo, hi);
    }

    /** Hard-tanh's bounds. */
    @Override
    public Attributes attributes(double parameter) {
        return Attributes.NONE.with("min", new Attr.Float(-1f)).with("max", new Attr.Float(1f));
    }

    @Override
    public double phi(double x, double parameter) { return Math.max(-1, Math.min(1, x)); }

    @Override
    public double derivative(double x, double parameter) { return Math.abs(x) < 1 ? 1 : 0; }

    @Override
    public Tensor derivative(Tensor x, double parameter) { return lt(abs(x), new Scalar(1.0)).to(x.scalar_type().intern()); }

    @Override
    public boolean kinked(double parameter) { return true; }

    @Override
    public double meanSquare(Activation a, double q) {
        double c = 1 / Math.sqrt(q); // clipping threshold in units of the standard deviation
        return q * SpecialFunctions.erf(c / SQRT2) - 2 * Math.sqrt(q) * SpecialFunctions.normalPdf(c)
                + SpecialFunctions.erfc(c / SQRT2);
    }

    @Override
    public double meanSquareDq(Activation a, double q) {
        double c = 1 / Math.sqrt(q);
        return SpecialFunctions.erf(c / SQRT2) - 2 * c * SpecialFunctions.normalPdf(c); // E[u²; |u| < c]
    }

    /** P(|√q·u| < 1). */
    @Override
    public double meanSlopeSquared(Activation a, double q) { return q <= 0 ? 1 : SpecialFunctions.erf(1 / Math.sqrt(2 * q)); }
}
