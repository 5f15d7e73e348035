package dev.orbit.ops.activation;

import static org.bytedeco.pytorch.global.torch.softplus;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Attributes;
import dev.orbit.ops.ElementwiseOp;
import dev.orbit.ops.OpSupport;

/** Softplus: ln(1 + eˣ). */
public final class Softplus extends ElementwiseOp {
    public Softplus() { super("Softplus"); }

    @Override
    protected Tensor apply(Tensor x, Attributes at) {
        return softplus(x, OpSupport.scalar(1), OpSupport.scalar(Double.POSITIVE_INFINITY));
    }

    @Override
    public double phi(double x, double parameter) { return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)); }

    @Override
    public double derivative(double x, double parameter) { return 1 / (1 + Math.exp(-x)); }

    /** ReLU's √2, as for the other ReLU-like curves PyTorch gives no gain for. */
    @Override
    public double gain(double parameter) { return Math.sqrt(2); }
}
