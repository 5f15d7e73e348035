package dev.orbit.ops.activation;

import static org.bytedeco.pytorch.global.torch.mul;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Attributes;
import dev.orbit.ops.ElementwiseOp;

/** HardSwish: x·max(0, min(1, x/6 + ½)). */
public final class HardSwish extends ElementwiseOp {
    public HardSwish() { super("HardSwish"); }

    @Override
    protected Tensor apply(Tensor x, Attributes at) { return mul(x, HardSigmoid.hardSigmoid(x, 1.0 / 6.0, 0.5)); }

    @Override
    public double phi(double x, double parameter) { return x * HardSigmoid.hardSigmoid(x, 1.0 / 6.0, 0.5); }

    @Override
    public double derivative(double x, double parameter) {
        if (x <= -3) return 0;
        if (x >= 3) return 1;
        return x / 3 + 0.5;
    }
}
