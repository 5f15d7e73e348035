package dev.orbit.ops.logic;

import static org.bytedeco.pytorch.global.torch.lt;

import org.bytedeco.pytorch.Tensor;

/** Less: elementwise less than, broadcasting, with a bool result. */
public final class Less extends BinaryLogicOp {
    public Less() { super("Less"); }

    @Override
    Tensor apply(Tensor a, Tensor b) { return lt(a, b); }
}
