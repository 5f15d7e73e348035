package dev.orbit.ops.activation;

import static org.bytedeco.pytorch.global.torch.sin;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Attributes;
import dev.orbit.ops.ElementwiseOp;

/** Sin. */
public final class Sin extends ElementwiseOp {
    public Sin() { super("Sin"); }

    @Override
    protected Tensor apply(Tensor x, Attributes at) { return sin(x); }

    @Override
    public double phi(double x, double parameter) { return Math.sin(x); }

    @Override
    public double derivative(double x, double parameter) { return Math.cos(x); }
}
