package dev.orbit.ops.logic;

import static org.bytedeco.pytorch.global.torch.eq;

import org.bytedeco.pytorch.Tensor;

/** Equal: elementwise equal (numbers, bools), broadcasting, with a bool result. */
public final class Equal extends BinaryLogicOp {
    public Equal() { super("Equal"); }

    @Override
    Tensor apply(Tensor a, Tensor b) { return eq(a, b); }
}
