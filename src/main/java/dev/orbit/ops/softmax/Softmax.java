package dev.orbit.ops.softmax;

import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Node;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.Layout;
import dev.orbit.ops.OpSupport;

/** Softmax (and LogSoftmax) from opset 13: normalises along one axis (default −1). */
public class Softmax extends SoftmaxOp {
    public Softmax() { this("Softmax"); }

    Softmax(String opType) { super(opType); }

    @Override
    public long sinceVersion() { return 13; }

    @Override
    int axis(Node node, int rank) { return OpSupport.axis(node, node.attributes().getInt("axis", -1), rank); }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        return OpSupport.one(normalise(x, axis(node, (int) x.dim())));
    }

    @Override
    boolean normalisesChannels(Node n, Layout l, int rank) {
        long axis = n.attributes().getInt("axis", -1);
        if (axis < 0) axis += rank;
        return axis == l.axis();
    }
}
