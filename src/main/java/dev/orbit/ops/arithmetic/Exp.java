package dev.orbit.ops.arithmetic;

import static org.bytedeco.pytorch.global.torch.exp;

import org.bytedeco.pytorch.Tensor;

/** Exp. */
public final class Exp extends UnaryArithmeticOp {
    public Exp() { super("Exp", false); }

    @Override
    Tensor apply(Tensor a) { return exp(a); }
}
