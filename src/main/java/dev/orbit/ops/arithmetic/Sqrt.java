package dev.orbit.ops.arithmetic;

import static org.bytedeco.pytorch.global.torch.sqrt;

import org.bytedeco.pytorch.Tensor;

/** Sqrt. */
public final class Sqrt extends UnaryArithmeticOp {
    public Sqrt() { super("Sqrt", false); }

    @Override
    Tensor apply(Tensor a) { return sqrt(a); }
}
