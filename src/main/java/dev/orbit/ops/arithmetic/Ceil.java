package dev.orbit.ops.arithmetic;

import org.bytedeco.pytorch.global.torch;

/** Ceil: elementwise rounds up. */
public final class Ceil extends ElementwiseMathOp {
    public Ceil() { super("Ceil", torch::ceil, "rounding does not commute with a rescaling"); }
}
