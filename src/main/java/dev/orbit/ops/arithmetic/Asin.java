package dev.orbit.ops.arithmetic;

import org.bytedeco.pytorch.global.torch;

/** Asin: elementwise arcsine. */
public final class Asin extends ElementwiseMathOp {
    public Asin() { super("Asin", torch::asin, "not analysed as an activation region yet (its domain is restricted or it is not odd-symmetric)"); }
}
