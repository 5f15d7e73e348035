package dev.orbit.ops.activation;

import static org.bytedeco.pytorch.global.torch.cos;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Attributes;
import dev.orbit.ops.ElementwiseOp;

/** Cos. */
public final class Cos extends ElementwiseOp {
    public Cos() { super("Cos"); }

    @Override
    protected Tensor apply(Tensor x, Attributes at) { return cos(x); }

    @Override
    public double phi(double x, double parameter) { return Math.cos(x); }

    @Override
    public double derivative(double x, double parameter) { return -Math.sin(x); }
}
