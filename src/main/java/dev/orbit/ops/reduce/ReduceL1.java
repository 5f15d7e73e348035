package dev.orbit.ops.reduce;

import static org.bytedeco.pytorch.global.torch.abs;
import static org.bytedeco.pytorch.global.torch.sum;

import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;

/** ReduceL1: the sum of absolute values. */
public final class ReduceL1 extends FrozenReduceOp {
    public ReduceL1() { super("ReduceL1", "a norm sees only |τ|, so a sign change is lost (rule not written yet)"); }

    @Override
    Tensor reduce(Tensor x, long[] dims, boolean keep) {
        return sum(abs(x), dims, keep, new ScalarTypeOptional()).to(x.scalar_type().intern());
    }
}
