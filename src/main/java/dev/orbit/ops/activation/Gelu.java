package dev.orbit.ops.activation;

import static org.bytedeco.pytorch.global.torch.gelu;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Attributes;
import dev.orbit.numeric.SpecialFunctions;
import dev.orbit.ops.ElementwiseOp;
import dev.orbit.ops.NodeWriter;

/**
 * Gelu (opset 20): x·Φ(x), or its tanh approximation with approximate="tanh". Before opset 20 a network is
 * written as x·½·(1 + erf(x/√2)), what PyTorch exports there.
 */
public final class Gelu extends ElementwiseOp {
    public Gelu() { super("Gelu"); }

    @Override
    protected Tensor apply(Tensor x, Attributes at) { return gelu(x, at.getString("approximate", "none")); }

    @Override
    public double phi(double x, double parameter) { return x * SpecialFunctions.normalCdf(x); }

    @Override
    public double derivative(double x, double parameter) {
        return SpecialFunctions.normalCdf(x) + x * SpecialFunctions.normalPdf(x);
    }

    /** ReLU's √2, as for the other ReLU-like curves PyTorch gives no gain for. */
    @Override
    public double gain(double parameter) { return Math.sqrt(2); }

    @Override
    public String write(NodeWriter w, String name, String x, double parameter) {
        if (w.opset() >= 20) return super.write(w, name, x, parameter);
        String u = w.node(name + ".div", "Div", Attributes.NONE, x, w.scalar("gelu.sqrt2", Math.sqrt(2)));
        String e = w.node(name + ".erf", "Erf", Attributes.NONE, u);
        String p = w.node(name + ".add", "Add", Attributes.NONE, e, w.scalar("gelu.one", 1));
        String m = w.node(name + ".mul", "Mul", Attributes.NONE, x, p);
        return w.node(name, "Mul", Attributes.NONE, m, w.scalar("gelu.half", 0.5));
    }
}
