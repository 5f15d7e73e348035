package dev.orbit.ops.activation;

import static org.bytedeco.pytorch.global.torch.gt;
import static org.bytedeco.pytorch.global.torch.mul;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Attributes;
import dev.orbit.ops.OpSupport;

/** ThresholdedRelu: x where x > α (default 1), else 0. */
public final class ThresholdedRelu extends FrozenActivationOp {
    public ThresholdedRelu() { super("ThresholdedRelu"); }

    @Override
    Tensor apply(Tensor x, Attributes at) {
        return mul(x, gt(x, OpSupport.scalar(at.getFloat("alpha", 1f))).to(x.scalar_type().intern()));
    }
}
