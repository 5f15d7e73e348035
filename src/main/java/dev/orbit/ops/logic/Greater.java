package dev.orbit.ops.logic;

import static org.bytedeco.pytorch.global.torch.gt;

import org.bytedeco.pytorch.Tensor;

/** Greater: elementwise greater than, broadcasting, with a bool result. */
public final class Greater extends BinaryLogicOp {
    public Greater() { super("Greater"); }

    @Override
    Tensor apply(Tensor a, Tensor b) { return gt(a, b); }
}
