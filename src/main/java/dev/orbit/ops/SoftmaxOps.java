package dev.orbit.ops;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.log_softmax;
import static org.bytedeco.pytorch.global.torch.softmax;

import java.util.List;
import java.util.Set;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Node;
import dev.orbit.graph.ShapeException;
import dev.orbit.graph.ValueType;

/**
 * Softmax and LogSoftmax. From opset 13 they normalise along one axis (default -1). Before 13 the input is
 * coerced to 2-D at {@code axis} (default 1): everything from that axis on is normalised together.
 */
public final class SoftmaxOps implements OpFamily {
    @Override
    public Set<String> opTypes() { return Set.of("Softmax", "LogSoftmax"); }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        axis(node, ctx.opset(), x.rank());
        return OpSupport.one(new ValueType(x.dtype(), x.shape()));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        long[] s = ShapeOps.sizes(x);
        int a = axis(node, ctx.opset(), s.length);
        boolean log = node.opType().equals("LogSoftmax");
        if (ctx.opset() >= 13) return OpSupport.one(log ? log_softmax(x, a) : softmax(x, a));
        long outer = 1;
        long inner = 1;
        for (int i = 0; i < s.length; i++) {
            if (i < a) outer *= s[i];
            else inner *= s[i];
        }
        Tensor flat = x.reshape(outer, inner);
        return OpSupport.one((log ? log_softmax(flat, 1) : softmax(flat, 1)).reshape(s));
    }

    /** The normalised axis; the pre-13 form also accepts axis == rank (one group per element). */
    private static int axis(Node node, long opset, int rank) {
        boolean coerce = opset < 13;
        long axis = node.attributes().getInt("axis", coerce ? 1 : -1);
        if (!coerce) return OpSupport.axis(node, axis, rank);
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a > rank) {
            throw new ShapeException(node.opType() + " node '" + node.label() + "': axis " + axis
                    + " is out of range for rank " + rank);
        }
        return (int) a;
    }

    // ---------------------------------------------------------------- symmetry

    @Override
    public void spaceRule(Node node, SpaceRules rules) { softmaxRule(rules, node); }

    private static void softmaxRule(SpaceRules rules, Node n) {
        Layout l = rules.layout(n.input(0));
        if (l == null) return;
        int r = rules.rank(n.input(0));
        long axis = n.attributes().getInt("axis", rules.opset() >= 13 ? -1 : 1);
        if (axis < 0) axis += r;
        if (axis == l.axis() || rules.opset() < 13) {
            rules.freeze(n.input(0), label(n) + ": normalises across the channel axis");
            return;
        }
        rules.forbidScaling(l, label(n) + ": softmax is not homogeneous");
        rules.setLayout(n.output(0), l);
    }
}
