package dev.orbit.ops.arithmetic;

import org.bytedeco.pytorch.global.torch;

/** Acosh: elementwise inverse hyperbolic cosine. */
public final class Acosh extends ElementwiseMathOp {
    public Acosh() { super("Acosh", torch::acosh, "not analysed as an activation region yet (its domain is restricted or it is not odd-symmetric)"); }
}
