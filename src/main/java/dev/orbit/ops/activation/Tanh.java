package dev.orbit.ops.activation;

import static org.bytedeco.pytorch.global.torch.tanh;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Attributes;
import dev.orbit.ops.ElementwiseOp;

/** Tanh. */
public final class Tanh extends ElementwiseOp {
    public Tanh() { super("Tanh"); }

    @Override
    protected Tensor apply(Tensor x, Attributes at) { return tanh(x); }

    @Override
    public double phi(double x, double parameter) { return Math.tanh(x); }

    @Override
    public double derivative(double x, double parameter) {
        double t = Math.tanh(x);
        return 1 - t * t;
    }

    @Override
    public Tensor derivative(Tensor x, double parameter) {
        Tensor t = tanh(x);
        return t.mul(t).neg_().add_(new Scalar(1.0));
    }

    /** PyTorch's calculate_gain('tanh'). */
    @Override
    public double gain(double parameter) { return 5.0 / 3; }
}
