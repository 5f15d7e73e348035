package dev.orbit.ops.pool;

import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Node;
import dev.orbit.ops.SpaceRules;

/** GlobalAveragePool: the mean over every spatial axis, kept as size 1. */
public final class GlobalAveragePool extends PoolOp {
    @Override
    public String opType() { return "GlobalAveragePool"; }

    @Override
    boolean global() { return true; }

    @Override
    Tensor pool(Node node, Tensor x, long[] spatialAxes) { return x.mean(spatialAxes, true, new ScalarTypeOptional()); }

    @Override
    public void spaceRule(Node node, SpaceRules rules) { rules.pass(node); }
}
