package dev.orbit.ops.arithmetic;

import org.bytedeco.pytorch.global.torch;

/** Acos: elementwise arccosine. */
public final class Acos extends ElementwiseMathOp {
    public Acos() { super("Acos", torch::acos, "not analysed as an activation region yet (its domain is restricted or it is not odd-symmetric)"); }
}
