package dev.orbit.ops.reduce;

import static org.bytedeco.pytorch.global.torch.mul;
import static org.bytedeco.pytorch.global.torch.sum;

import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;

/** ReduceSumSquare: the sum of squares. */
public final class ReduceSumSquare extends FrozenReduceOp {
    public ReduceSumSquare() { super("ReduceSumSquare", "a sum of squares scales by τ², not τ"); }

    @Override
    Tensor reduce(Tensor x, long[] dims, boolean keep) {
        return sum(mul(x, x), dims, keep, new ScalarTypeOptional()).to(x.scalar_type().intern());
    }
}
