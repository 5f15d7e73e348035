package dev.orbit.ops.reduce;

import static org.bytedeco.pytorch.global.torch.log;
import static org.bytedeco.pytorch.global.torch.sum;

import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;

/** ReduceLogSum: log of the sum. */
public final class ReduceLogSum extends FrozenReduceOp {
    public ReduceLogSum() { super("ReduceLogSum", "a logarithm turns a factor into an offset"); }

    @Override
    Tensor reduce(Tensor x, long[] dims, boolean keep) { return log(sum(x, dims, keep, new ScalarTypeOptional())); }
}
