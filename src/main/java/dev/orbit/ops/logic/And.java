package dev.orbit.ops.logic;

import static org.bytedeco.pytorch.global.torch.logical_and;

import org.bytedeco.pytorch.Tensor;

/** And: elementwise logical and of bools, broadcasting, with a bool result. */
public final class And extends BinaryLogicOp {
    public And() { super("And"); }

    @Override
    Tensor apply(Tensor a, Tensor b) { return logical_and(a, b); }
}
