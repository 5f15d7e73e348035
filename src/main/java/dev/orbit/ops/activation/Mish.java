package dev.orbit.ops.activation;

import static org.bytedeco.pytorch.global.torch.mul;
import static org.bytedeco.pytorch.global.torch.softplus;
import static org.bytedeco.pytorch.global.torch.tanh;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Attributes;
import dev.orbit.ops.ElementwiseOp;
import dev.orbit.ops.NodeWriter;
import dev.orbit.ops.OpSupport;

/**
 * Mish (opset 18): x·tanh(softplus(x)), a smooth ReLU-like curve (Misra 2019). Before opset 18 a network is
 * written as Softplus → Tanh → Mul, which the symmetry analysis reads as one decomposed activation.
 */
public final class Mish extends ElementwiseOp {
    public Mish() { super("Mish"); }

    @Override
    protected Tensor apply(Tensor x, Attributes at) {
        return mul(x, tanh(softplus(x, OpSupport.scalar(1), OpSupport.scalar(Double.POSITIVE_INFINITY))));
    }

    @Override
    public double phi(double x, double parameter) { return x * Math.tanh(softplusOf(x)); }

    /** tanh(sp) + x·(1 − tanh²(sp))·σ(x), with sp = softplus(x) and σ its derivative. */
    @Override
    public double derivative(double x, double parameter) {
        double t = Math.tanh(softplusOf(x));
        return t + x * (1 - t * t) / (1 + Math.exp(-x));
    }

    private static double softplusOf(double x) { return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)); }

    /** ReLU's √2, as for the other ReLU-like curves PyTorch gives no gain for. */
    @Override
    public double gain(double parameter) { return Math.sqrt(2); }

    @Override
    public String write(NodeWriter w, String name, String x, double parameter) {
        if (w.opset() >= 18) return super.write(w, name, x, parameter);
        String sp = w.node(name + ".softplus", "Softplus", Attributes.NONE, x);
        String t = w.node(name + ".tanh", "Tanh", Attributes.NONE, sp);
        return w.node(name, "Mul", Attributes.NONE, x, t);
    }
}
