package dev.orbit.ops.reduce;

import static org.bytedeco.pytorch.global.torch.mul;
import static org.bytedeco.pytorch.global.torch.sqrt;
import static org.bytedeco.pytorch.global.torch.sum;

import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import dev.orbit.ops.OpSupport;

/** ReduceL2: the square root of the sum of squares (integers: computed in float64, truncated back). */
public final class ReduceL2 extends FrozenReduceOp {
    public ReduceL2() { super("ReduceL2", "a norm sees only |τ|, so a sign change is lost (rule not written yet)"); }

    @Override
    Tensor reduce(Tensor x, long[] dims, boolean keep) {
        Tensor v = OpSupport.isIntegral(x) ? x.to(ScalarType.Double) : x;
        return sqrt(sum(mul(v, v), dims, keep, new ScalarTypeOptional())).to(x.scalar_type().intern());
    }
}
