package dev.orbit.ops.arithmetic;

import org.bytedeco.pytorch.global.torch;

/** Atanh: elementwise inverse hyperbolic tangent. */
public final class Atanh extends ElementwiseMathOp {
    public Atanh() { super("Atanh", torch::atanh, "not analysed as an activation region yet (its domain is restricted or it is not odd-symmetric)"); }
}
