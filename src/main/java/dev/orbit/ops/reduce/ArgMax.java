package dev.orbit.ops.reduce;

import static org.bytedeco.pytorch.global.torch.argmax;

import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Tensor;

/** ArgMax: the index of the largest value (libtorch returns the first among equals). */
public final class ArgMax extends ArgExtremumOp {
    public ArgMax() { super("ArgMax"); }

    @Override
    Tensor index(Tensor x, long axis, boolean keep) { return argmax(x, new LongOptional(axis), keep); }
}
