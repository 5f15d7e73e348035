package dev.orbit.ops.logic;

import static org.bytedeco.pytorch.global.torch.ge;

import org.bytedeco.pytorch.Tensor;

/** GreaterOrEqual: elementwise greater than or equal, broadcasting, with a bool result. */
public final class GreaterOrEqual extends BinaryLogicOp {
    public GreaterOrEqual() { super("GreaterOrEqual"); }

    @Override
    Tensor apply(Tensor a, Tensor b) { return ge(a, b); }
}
