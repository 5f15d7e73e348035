package dev.orbit.ops.arithmetic;

import org.bytedeco.pytorch.global.torch;

/** Cosh: elementwise hyperbolic cosine. */
public final class Cosh extends ElementwiseMathOp {
    public Cosh() { super("Cosh", torch::cosh, "not analysed as an activation region yet (its domain is restricted or it is not odd-symmetric)"); }
}
