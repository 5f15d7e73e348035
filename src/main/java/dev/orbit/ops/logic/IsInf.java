package dev.orbit.ops.logic;

import static org.bytedeco.pytorch.global.torch.isneginf;
import static org.bytedeco.pytorch.global.torch.isposinf;
import static org.bytedeco.pytorch.global.torch.logical_or;
import static org.bytedeco.pytorch.global.torch.zeros_like;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import dev.orbit.graph.Node;

/** IsInf: true where an element is +∞ (detect_positive, default 1) or −∞ (detect_negative, default 1). */
public final class IsInf extends UnaryLogicOp {
    public IsInf() { super("IsInf"); }

    @Override
    Tensor apply(Node node, Tensor x) {
        boolean pos = node.attributes().getInt("detect_positive", 1) != 0;
        boolean neg = node.attributes().getInt("detect_negative", 1) != 0;
        if (pos && neg) return logical_or(isposinf(x), isneginf(x));
        if (pos) return isposinf(x);
        if (neg) return isneginf(x);
        return zeros_like(x).to(ScalarType.Bool);
    }
}
