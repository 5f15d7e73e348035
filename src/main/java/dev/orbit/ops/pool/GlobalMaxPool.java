package dev.orbit.ops.pool;

import static dev.orbit.ops.SpaceRules.label;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Node;
import dev.orbit.ops.SpaceRules;

/** GlobalMaxPool: the maximum over every spatial axis, kept as size 1. */
public final class GlobalMaxPool extends PoolOp {
    @Override
    public String opType() { return "GlobalMaxPool"; }

    @Override
    boolean global() { return true; }

    @Override
    Tensor pool(Node node, Tensor x, long[] spatialAxes) { return x.amax(spatialAxes, true); }

    /** The channels pass; a negative factor would turn max into min. */
    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        rules.pass(node);
        rules.positiveScalingOnly(rules.layout(node.input(0)), label(node) + ": a negative factor would turn max into min");
    }
}
