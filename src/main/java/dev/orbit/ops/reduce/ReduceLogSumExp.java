package dev.orbit.ops.reduce;

import static org.bytedeco.pytorch.global.torch.logsumexp;

import org.bytedeco.pytorch.Tensor;

/** ReduceLogSumExp: log Σ exp, computed stably (max subtracted). */
public final class ReduceLogSumExp extends FrozenReduceOp {
    public ReduceLogSumExp() { super("ReduceLogSumExp", "log Σ exp does not commute with a rescaling"); }

    @Override
    Tensor reduce(Tensor x, long[] dims, boolean keep) {
        if (dims.length == 0) return new Tensor(x);
        return logsumexp(x, dims, keep);
    }
}
