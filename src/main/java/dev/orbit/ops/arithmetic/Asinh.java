package dev.orbit.ops.arithmetic;

import org.bytedeco.pytorch.global.torch;

/** Asinh: elementwise inverse hyperbolic sine. */
public final class Asinh extends ElementwiseMathOp {
    public Asinh() { super("Asinh", torch::asinh, "not analysed as an activation region yet (its domain is restricted or it is not odd-symmetric)"); }
}
