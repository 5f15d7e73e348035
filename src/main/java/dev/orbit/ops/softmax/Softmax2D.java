package dev.orbit.ops.softmax;

import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Node;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.Layout;
import dev.orbit.ops.OpSupport;

/**
 * Softmax (and LogSoftmax) before opset 13: the input is coerced to 2-D at {@code axis} (default 1) and everything
 * from that axis on is normalised together, the channel axis included.
 */
public class Softmax2D extends SoftmaxOp {
    public Softmax2D() { this("Softmax"); }

    Softmax2D(String opType) { super(opType); }

    /** The pre-13 form also accepts axis == rank (one group per element). */
    @Override
    int axis(Node node, int rank) { return OpSupport.cut(node, node.attributes().getInt("axis", 1), rank); }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        long[] s = OpSupport.sizes(x);
        int a = axis(node, s.length);
        long outer = 1;
        long inner = 1;
        for (int i = 0; i < s.length; i++) {
            if (i < a) outer *= s[i];
            else inner *= s[i];
        }
        return OpSupport.one(normalise(x.reshape(outer, inner), 1).reshape(s));
    }

    @Override
    boolean normalisesChannels(Node n, Layout l, int rank) { return true; }
}
