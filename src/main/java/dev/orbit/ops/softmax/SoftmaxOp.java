package dev.orbit.ops.softmax;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.log_softmax;
import static org.bytedeco.pytorch.global.torch.softmax;

import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Layout;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;

/** What the Softmax and LogSoftmax versions share: the output has the input's shape; log or not. */
abstract class SoftmaxOp implements Op {
    private final String opType;
    private final boolean log;

    SoftmaxOp(String opType) {
        this.opType = opType;
        this.log = opType.equals("LogSoftmax");
    }

    @Override
    public final String opType() { return opType; }

    /** The normalised axis for a rank; fails when it is out of range. */
    abstract int axis(Node node, int rank);

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        axis(node, x.rank());
        return OpSupport.one(new ValueType(x.dtype(), x.shape()));
    }

    Tensor normalise(Tensor x, int axis) { return log ? log_softmax(x, axis) : softmax(x, axis); }

    /** Across the channel axis it freezes; along another axis the permutation passes but no scaling. */
    @Override
    public void spaceRule(Node n, SpaceRules rules) {
        Layout l = rules.layout(n.input(0));
        if (l == null) return;
        int r = rules.rank(n.input(0));
        if (normalisesChannels(n, l, r)) {
            rules.freeze(n.input(0), label(n) + ": normalises across the channel axis");
            return;
        }
        rules.forbidScaling(l, label(n) + ": softmax is not homogeneous");
        rules.setLayout(n.output(0), l);
    }

    abstract boolean normalisesChannels(Node n, Layout l, int rank);
}
