package dev.orbit.ops.activation;

import static org.bytedeco.pytorch.global.torch.celu;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Attributes;
import dev.orbit.ops.OpSupport;

/** Celu: max(0, x) + min(0, α(exp(x/α) − 1)), α default 1. */
public final class Celu extends FrozenActivationOp {
    public Celu() { super("Celu"); }

    @Override
    Tensor apply(Tensor x, Attributes at) { return celu(x, OpSupport.scalar(at.getFloat("alpha", 1f))); }
}
