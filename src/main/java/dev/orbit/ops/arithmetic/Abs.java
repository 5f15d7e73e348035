package dev.orbit.ops.arithmetic;

import static org.bytedeco.pytorch.global.torch.abs;

import org.bytedeco.pytorch.Tensor;

/** Abs: |x|, positively homogeneous. */
public final class Abs extends UnaryArithmeticOp {
    public Abs() { super("Abs", true); }

    @Override
    Tensor apply(Tensor a) { return abs(a); }
}
