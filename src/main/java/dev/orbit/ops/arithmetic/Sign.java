package dev.orbit.ops.arithmetic;

import org.bytedeco.pytorch.global.torch;

/** Sign: elementwise −1, 0 or 1 by the sign (NaN stays NaN). */
public final class Sign extends ElementwiseMathOp {
    public Sign() { super("Sign", torch::sign, "a sign does not follow a change of basis"); }
}
