package dev.orbit.ops.activation;

import static org.bytedeco.pytorch.global.torch.sigmoid;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Attributes;
import dev.orbit.ops.ElementwiseOp;

/** Sigmoid: 1/(1 + e⁻ˣ). */
public final class Sigmoid extends ElementwiseOp {
    public Sigmoid() { super("Sigmoid"); }

    @Override
    protected Tensor apply(Tensor x, Attributes at) { return sigmoid(x); }

    @Override
    public double phi(double x, double parameter) { return 1 / (1 + Math.exp(-x)); }

    @Override
    public double derivative(double x, double parameter) {
        double s = phi(x, parameter);
        return s * (1 - s);
    }
}
