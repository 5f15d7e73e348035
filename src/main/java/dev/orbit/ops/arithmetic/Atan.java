package dev.orbit.ops.arithmetic;

import org.bytedeco.pytorch.global.torch;

/** Atan: elementwise arctangent. */
public final class Atan extends ElementwiseMathOp {
    public Atan() { super("Atan", torch::atan, "not analysed as an activation region yet (its domain is restricted or it is not odd-symmetric)"); }
}
