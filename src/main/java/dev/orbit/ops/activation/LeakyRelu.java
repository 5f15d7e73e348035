package dev.orbit.ops.activation;

import static org.bytedeco.pytorch.global.torch.leaky_relu;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Attr;
import dev.orbit.graph.Attributes;
import dev.orbit.ops.OpSupport;

/** LeakyRelu: x for x > 0, alpha·x below (alpha defaults to 0.01). As an activation: "leakyrelu[SLOPE]". */
public final class LeakyRelu extends PiecewiseLinearOp {
    public static final double DEFAULT_SLOPE = 0.01;

    public LeakyRelu() { super("LeakyRelu"); }

    @Override
    protected Tensor apply(Tensor x, Attributes at) {
        return leaky_relu(x, OpSupport.scalar(at.getFloat("alpha", (float) DEFAULT_SLOPE)));
    }

    @Override
    double negativeSlope(double parameter) { return parameter; }

    @Override
    public double phi(double x, double parameter) { return x > 0 ? x : parameter * x; }

    /** PyTorch's calculate_gain: √(2/(1 + slope²)). */
    @Override
    public double gain(double parameter) { return Math.sqrt(2 / (1 + parameter * parameter)); }

    @Override
    public boolean takesParameter() { return true; }

    @Override
    public String parameterName() { return "SLOPE"; }

    @Override
    public double defaultParameter() { return DEFAULT_SLOPE; }

    @Override
    public Attributes attributes(double parameter) { return Attributes.NONE.with("alpha", new Attr.Float((float) parameter)); }

    @Override
    public String name(double parameter) { return parameter != DEFAULT_SLOPE ? "leakyrelu" + parameter : "leakyrelu"; }
}
