package dev.orbit.ops.arithmetic;

import org.bytedeco.pytorch.global.torch;

/** Sinh: elementwise hyperbolic sine. */
public final class Sinh extends ElementwiseMathOp {
    public Sinh() { super("Sinh", torch::sinh, "not analysed as an activation region yet (its domain is restricted or it is not odd-symmetric)"); }
}
