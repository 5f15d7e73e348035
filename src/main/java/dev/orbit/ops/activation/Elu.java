package dev.orbit.ops.activation;

import static org.bytedeco.pytorch.global.torch.elu;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Attributes;
import dev.orbit.ops.ElementwiseOp;
import dev.orbit.ops.OpSupport;

/** Elu: x for x > 0, alpha·(eˣ − 1) below (alpha defaults to 1). */
public final class Elu extends ElementwiseOp {
    public Elu() { super("Elu"); }

    @Override
    protected Tensor apply(Tensor x, Attributes at) {
        double alpha = at.getFloat("alpha", 1f);
        return elu(x, OpSupport.scalar(alpha), OpSupport.scalar(1), OpSupport.scalar(1));
    }

    @Override
    public double phi(double x, double parameter) { return x > 0 ? x : Math.expm1(x); }

    @Override
    public double derivative(double x, double parameter) { return x > 0 ? 1 : Math.exp(x); }

    /** ReLU's √2, as for the other ReLU-like curves PyTorch gives no gain for. */
    @Override
    public double gain(double parameter) { return Math.sqrt(2); }
}
