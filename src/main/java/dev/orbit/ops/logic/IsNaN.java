package dev.orbit.ops.logic;

import static org.bytedeco.pytorch.global.torch.isnan;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Node;

/** IsNaN: true where an element is NaN. */
public final class IsNaN extends UnaryLogicOp {
    public IsNaN() { super("IsNaN"); }

    @Override
    Tensor apply(Node node, Tensor x) { return isnan(x); }
}
