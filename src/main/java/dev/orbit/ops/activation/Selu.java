package dev.orbit.ops.activation;

import static org.bytedeco.pytorch.global.torch.elu;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Attributes;
import dev.orbit.ops.ElementwiseOp;
import dev.orbit.ops.OpSupport;

/** Selu: gamma·x for x > 0, gamma·alpha·(eˣ − 1) below, with ONNX's default alpha and gamma. */
public final class Selu extends ElementwiseOp {
    private static final float ALPHA = 1.67326319217681884765625f;
    private static final float GAMMA = 1.05070102214813232421875f;

    public Selu() { super("Selu"); }

    @Override
    protected Tensor apply(Tensor x, Attributes at) {
        double alpha = at.getFloat("alpha", ALPHA);
        double gamma = at.getFloat("gamma", GAMMA);
        return elu(x, OpSupport.scalar(alpha), OpSupport.scalar(gamma), OpSupport.scalar(1));
    }

    @Override
    public double phi(double x, double parameter) { return GAMMA * (x > 0 ? x : (double) ALPHA * Math.expm1(x)); }

    @Override
    public double derivative(double x, double parameter) { return GAMMA * (x > 0 ? 1 : (double) ALPHA * Math.exp(x)); }

    /** PyTorch's calculate_gain('selu'). */
    @Override
    public double gain(double parameter) { return 0.75; }
}
