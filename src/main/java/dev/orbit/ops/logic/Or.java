package dev.orbit.ops.logic;

import static org.bytedeco.pytorch.global.torch.logical_or;

import org.bytedeco.pytorch.Tensor;

/** Or: elementwise logical or of bools, broadcasting, with a bool result. */
public final class Or extends BinaryLogicOp {
    public Or() { super("Or"); }

    @Override
    Tensor apply(Tensor a, Tensor b) { return logical_or(a, b); }
}
