package dev.orbit.ops.reduce;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.amax;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Node;
import dev.orbit.ops.Layout;
import dev.orbit.ops.SpaceRules;

/** ReduceMax: a negative factor would swap max and min, so only positive scaling passes. */
public final class ReduceMax extends ReduceOp {
    public ReduceMax() { super("ReduceMax"); }

    @Override
    Tensor reduce(Tensor x, long[] dims, boolean keep) { return amax(x, dims, keep); }

    @Override
    void restrict(Node n, Layout l, SpaceRules rules) {
        rules.positiveScalingOnly(l, label(n) + ": a negative factor would swap max and min");
    }
}
