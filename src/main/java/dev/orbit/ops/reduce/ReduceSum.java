package dev.orbit.ops.reduce;

import static org.bytedeco.pytorch.global.torch.sum;

import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;

/** ReduceSum; libtorch widens integer sums to int64, ONNX keeps the input type. */
public final class ReduceSum extends ReduceOp {
    public ReduceSum() { super("ReduceSum"); }

    @Override
    Tensor reduce(Tensor x, long[] dims, boolean keep) {
        return sum(x, dims, keep, new ScalarTypeOptional()).to(x.scalar_type().intern());
    }
}
