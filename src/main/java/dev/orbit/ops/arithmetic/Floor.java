package dev.orbit.ops.arithmetic;

import org.bytedeco.pytorch.global.torch;

/** Floor: elementwise rounds down. */
public final class Floor extends ElementwiseMathOp {
    public Floor() { super("Floor", torch::floor, "rounding does not commute with a rescaling"); }
}
