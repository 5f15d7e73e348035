package dev.orbit.ops.shape;

import static dev.orbit.ops.SpaceRules.label;

import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;

/**
 * DepthToSpace on N×C×H×W: C/b² channels of (H·b)×(W·b). Mode DCR (default) takes the block from the leading
 * channel factor, CRD from the trailing one.
 */
public final class DepthToSpace implements Op {
    @Override
    public String opType() { return "DepthToSpace"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        long b = blocksize(node);
        if (!x.hasShape()) return OpSupport.one(ValueType.unknown(x.dtype()));
        requireRank4(node, x.rank());
        var d = x.shape().dims();
        return OpSupport.one(new ValueType(x.dtype(), new dev.orbit.graph.Shape(List.of(d.get(0),
                divide(d.get(1), b * b), OpSupport.affine(d.get(2), b, 0), OpSupport.affine(d.get(3), b, 0)))));
    }

    /** The blocksize attribute, at least 1 (0 would divide by zero, a negative one reshape nonsense). */
    static long blocksize(Node node) {
        long b = node.attributes().getInt("blocksize", 1);
        if (b < 1 || b > 1 << 15) throw OpSupport.shapeError(node, "blocksize " + b + " must be between 1 and 32768");
        return b;
    }

    /** Both ops work on N×C×H×W only. */
    static void requireRank4(Node node, int rank) {
        if (rank != 4) throw OpSupport.shapeError(node, "needs a rank-4 N×C×H×W input, got rank " + rank);
    }

    static dev.orbit.graph.Dim divide(dev.orbit.graph.Dim d, long by) {
        return d instanceof dev.orbit.graph.Dim.Known(long n) ? dev.orbit.graph.Dim.of(n / by) : dev.orbit.graph.Dim.unknown();
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        long b = blocksize(node);
        long[] s = OpSupport.sizes(x);
        requireRank4(node, s.length);
        long n = s[0], c = s[1], h = s[2], w = s[3];
        boolean crd = node.attributes().getString("mode", "DCR").equals("CRD");
        Tensor y = crd
                ? x.reshape(n, c / (b * b), b, b, h, w).permute(0, 1, 4, 2, 5, 3)
                : x.reshape(n, b, b, c / (b * b), h, w).permute(0, 3, 4, 1, 5, 2);
        return OpSupport.one(y.reshape(n, c / (b * b), h * b, w * b));
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        rules.freezeInputs(node, label(node) + ": moves channels into space (rule not written yet)");
    }
}
