package dev.orbit.ops.logic;

import static org.bytedeco.pytorch.global.torch.logical_xor;

import org.bytedeco.pytorch.Tensor;

/** Xor: elementwise logical exclusive or of bools, broadcasting, with a bool result. */
public final class Xor extends BinaryLogicOp {
    public Xor() { super("Xor"); }

    @Override
    Tensor apply(Tensor a, Tensor b) { return logical_xor(a, b); }
}
