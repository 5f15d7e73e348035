package dev.orbit.ops.arithmetic;

import org.bytedeco.pytorch.global.torch;

/** Round: elementwise rounds to the nearest integer, ties to even. */
public final class Round extends ElementwiseMathOp {
    public Round() { super("Round", torch::round, "rounding does not commute with a rescaling"); }
}
