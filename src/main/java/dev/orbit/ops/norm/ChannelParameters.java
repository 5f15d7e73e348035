package dev.orbit.ops.norm;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.OpSupport;

/** The check BatchNormalization and InstanceNormalization share: per-channel parameters are vectors of C. */
final class ChannelParameters {
    private ChannelParameters() {}

    static void check(Node node, InferContext ctx, int i, Dim c) {
        ValueType p = ctx.input(i);
        if (p == null || p.shape() == null) return;
        if (p.rank() != 1 || c.isKnown() && p.shape().dim(0).isKnown() && p.shape().dim(0).size() != c.size()) {
            throw OpSupport.shapeError(node, "input " + i + " has shape " + p.shape() + " but X has " + c + " channels");
        }
    }
}
