package dev.orbit.ops.activation;

import static org.bytedeco.pytorch.global.torch.gt;
import static org.bytedeco.pytorch.global.torch.relu;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Attributes;

/** Relu: max(0, x). */
public final class Relu extends PiecewiseLinearOp {
    public Relu() { super("Relu"); }

    @Override
    protected Tensor apply(Tensor x, Attributes at) { return relu(x); }

    @Override
    double negativeSlope(double parameter) { return 0; }

    @Override
    public double phi(double x, double parameter) { return Math.max(x, 0); }

    @Override
    public Tensor derivative(Tensor x, double parameter) { return gt(x, new Scalar(0.0)).to(x.scalar_type().intern()); }

    @Override
    public boolean kinked(double parameter) { return true; }

    @Override
    public double gain(double parameter) { return Math.sqrt(2); }
}
