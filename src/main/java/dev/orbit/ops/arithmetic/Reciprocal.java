package dev.orbit.ops.arithmetic;

import static org.bytedeco.pytorch.global.torch.reciprocal;

import org.bytedeco.pytorch.Tensor;

/** Reciprocal: 1/x. */
public final class Reciprocal extends UnaryArithmeticOp {
    public Reciprocal() { super("Reciprocal", false); }

    @Override
    Tensor apply(Tensor a) { return reciprocal(a); }
}
