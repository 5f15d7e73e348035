package dev.orbit.ops.activation;

import static org.bytedeco.pytorch.global.torch.abs;
import static org.bytedeco.pytorch.global.torch.add;
import static org.bytedeco.pytorch.global.torch.div;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Attributes;
import dev.orbit.ops.ElementwiseOp;
import dev.orbit.ops.OpSupport;

/** Softsign: x/(1 + |x|). */
public final class Softsign extends ElementwiseOp {
    public Softsign() { super("Softsign"); }

    @Override
    protected Tensor apply(Tensor x, Attributes at) { return div(x, add(abs(x), OpSupport.scalar(1))); }

    @Override
    public double phi(double x, double parameter) { return x / (1 + Math.abs(x)); }

    @Override
    public double derivative(double x, double parameter) {
        double d = 1 + Math.abs(x);
        return 1 / (d * d);
    }
}
