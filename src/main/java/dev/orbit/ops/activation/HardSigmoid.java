package dev.orbit.ops.activation;

import static org.bytedeco.pytorch.global.torch.add;
import static org.bytedeco.pytorch.global.torch.clamp;
import static org.bytedeco.pytorch.global.torch.mul;

import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Attributes;
import dev.orbit.ops.ElementwiseOp;
import dev.orbit.ops.OpSupport;

/** HardSigmoid: max(0, min(1, alpha·x + beta)), alpha 0.2 and beta 0.5 by default. */
public final class HardSigmoid extends ElementwiseOp {
    private static final float ALPHA = 0.2f;
    private static final float BETA = 0.5f;

    public HardSigmoid() { super("HardSigmoid"); }

    @Override
    protected Tensor apply(Tensor x, Attributes at) {
        return hardSigmoid(x, at.getFloat("alpha", ALPHA), at.getFloat("beta", BETA));
    }

    /** max(0, min(1, alpha·x + beta)), written with clamp so autograd sees it. */
    static Tensor hardSigmoid(Tensor x, double alpha, double beta) {
        Tensor lin = add(mul(x, OpSupport.scalar(alpha)), OpSupport.scalar(beta));
        return clamp(lin, new ScalarOptional(OpSupport.scalar(0)), new ScalarOptional(OpSupport.scalar(1)));
    }

    static double hardSigmoid(double x, double alpha, double beta) { return Math.max(0, Math.min(1, alpha * x + beta)); }

    @Override
    public double phi(double x, double parameter) { return hardSigmoid(x, ALPHA, BETA); }

    @Override
    public double derivative(double x, double parameter) {
        double lin = ALPHA * x + BETA;
        return lin > 0 && lin < 1 ? ALPHA : 0;
    }
}
