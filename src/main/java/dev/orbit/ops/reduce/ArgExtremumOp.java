package dev.orbit.ops.reduce;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.flip;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Layout;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;
import dev.orbit.tensor.DType;

/**
 * ArgMax and ArgMin: the int64 index of the extreme value along {@code axis} (default 0), the first one unless
 * select_last_index = 1; keepdims (default 1) keeps the axis as size 1.
 */
abstract class ArgExtremumOp implements Op {
    private final String opType;

    ArgExtremumOp(String opType) { this.opType = opType; }

    @Override
    public final String opType() { return opType; }

    abstract Tensor index(Tensor x, long axis, boolean keep);

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        int r = x.rank();
        int a = OpSupport.axis(node, node.attributes().getInt("axis", 0), r);
        boolean keep = node.attributes().getInt("keepdims", 1) != 0;
        List<Dim> out = new ArrayList<>(x.shape().dims());
        if (keep) out.set(a, Dim.of(1));
        else out.remove(a);
        return OpSupport.one(new ValueType(DType.INT64, new Shape(out)));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        int a = OpSupport.axis(node, node.attributes().getInt("axis", 0), (int) x.dim());
        boolean keep = node.attributes().getInt("keepdims", 1) != 0;
        if (node.attributes().getInt("select_last_index", 0) == 0) return OpSupport.one(index(x, a, keep));
        // the last occurrence: the first one in the reversed axis, counted back from the end
        Tensor reversed = index(flip(x, new long[] {a}), a, keep);
        return OpSupport.one(org.bytedeco.pytorch.global.torch.rsub(reversed, new Scalar(x.size(a) - 1)));
    }

    /**
     * Over the channel axis the output is an index that a permutation changes: always frozen. Over another axis
     * the int64 result carries no neuron space either, so the input freezes too.
     */
    @Override
    public void spaceRule(Node n, SpaceRules rules) {
        Layout l = rules.layout(n.input(0));
        int r = rules.rank(n.input(0));
        long axis = n.attributes().getInt("axis", 0);
        boolean overChannels = l != null && r > 0 && (axis < 0 ? axis + r : axis) == l.axis();
        rules.freezeInputs(n, label(n) + (overChannels ? ": over the channel axis its output is an index that a permutation changes"
                : ": its int64 index output carries no neuron space"));
    }
}
