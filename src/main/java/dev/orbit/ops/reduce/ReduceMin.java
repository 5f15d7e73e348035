package dev.orbit.ops.reduce;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.amin;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Node;
import dev.orbit.ops.Layout;
import dev.orbit.ops.SpaceRules;

/** ReduceMin: a negative factor would swap min and max, so only positive scaling passes. */
public final class ReduceMin extends ReduceOp {
    public ReduceMin() { super("ReduceMin"); }

    @Override
    Tensor reduce(Tensor x, long[] dims, boolean keep) { return amin(x, dims, keep); }

    @Override
    void restrict(Node n, Layout l, SpaceRules rules) {
        rules.positiveScalingOnly(l, label(n) + ": a negative factor would swap max and min");
    }
}
