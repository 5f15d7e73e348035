package dev.orbit.ops.arithmetic;

import org.bytedeco.pytorch.global.torch;

/** Tan: elementwise tangent. */
public final class Tan extends ElementwiseMathOp {
    public Tan() { super("Tan", torch::tan, "not analysed as an activation region yet (its domain is restricted or it is not odd-symmetric)"); }
}
