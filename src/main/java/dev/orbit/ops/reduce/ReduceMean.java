package dev.orbit.ops.reduce;

import static org.bytedeco.pytorch.global.torch.mean;

import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import dev.orbit.ops.OpSupport;

/** ReduceMean; libtorch has no integer mean, so integers average in double and truncate toward zero, as integer division does. */
public final class ReduceMean extends ReduceOp {
    public ReduceMean() { super("ReduceMean"); }

    @Override
    Tensor reduce(Tensor x, long[] dims, boolean keep) {
        return OpSupport.isIntegral(x) ? mean(x.to(ScalarType.Double), dims, keep, new ScalarTypeOptional()).to(x.scalar_type().intern())
                : mean(x, dims, keep, new ScalarTypeOptional());
    }
}
