package dev.orbit.ops.logic;

import static org.bytedeco.pytorch.global.torch.le;

import org.bytedeco.pytorch.Tensor;

/** LessOrEqual: elementwise less than or equal, broadcasting, with a bool result. */
public final class LessOrEqual extends BinaryLogicOp {
    public LessOrEqual() { super("LessOrEqual"); }

    @Override
    Tensor apply(Tensor a, Tensor b) { return le(a, b); }
}
