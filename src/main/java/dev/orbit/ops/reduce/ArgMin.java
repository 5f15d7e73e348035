package dev.orbit.ops.reduce;

import static org.bytedeco.pytorch.global.torch.argmin;

import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Tensor;

/** ArgMin: the index of the smallest value (libtorch returns the first among equals). */
public final class ArgMin extends ArgExtremumOp {
    public ArgMin() { super("ArgMin"); }

    @Override
    Tensor index(Tensor x, long axis, boolean keep) { return argmin(x, new LongOptional(axis), keep); }
}
