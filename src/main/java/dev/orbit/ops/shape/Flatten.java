package dev.orbit.ops.shape;

import static dev.orbit.ops.SpaceRules.label;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Layout;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpArgs;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.Segment;
import dev.orbit.ops.SpaceRules;

/** Flatten: [N, C, H, W] → [N, C·H·W] at {@code axis} (default 1); a channel's factor repeats over its positions. */
public final class Flatten implements Op {
    @Override
    public String opType() { return "Flatten"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        int r = x.rank();
        int a = axis(node, r);
        List<Dim> dims = x.shape().dims();
        return OpSupport.one(new ValueType(x.dtype(), Shape.of(OpArgs.product(dims.subList(0, a)), OpArgs.product(dims.subList(a, r)))));
    }

    private static int axis(Node node, int rank) { return OpSupport.cut(node, node.attributes().getInt("axis", 1), rank); }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        long[] s = OpSupport.sizes(x);
        int a = axis(node, s.length);
        return OpSupport.one(x.reshape(count(s, 0, a), count(s, a, s.length)));
    }

    private static long count(long[] s, int from, int to) {
        long n = 1;
        for (int i = from; i < to; i++) n *= s[i];
        return n;
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) { rule(rules, node, (int) node.attributes().getInt("axis", 1)); }

    /** [N, C, H, W] → [N, C·H·W]: each channel's factor repeats over its H·W positions. */
    static void rule(SpaceRules rules, Node n, int axis) {
        Layout l = rules.layout(n.input(0));
        if (l == null) return;
        int r = rules.rank(n.input(0));
        if (axis < 0) axis += r;
        if (l.axis() < axis) {
            rules.freeze(n.input(0), label(n) + ": flattens the channel axis into the batch");
            return;
        }
        long inner = 1;
        for (int i = l.axis() + 1; i < r; i++) {
            long d = rules.dim(n.input(0), i);
            if (d < 0) {
                rules.freeze(n.input(0), label(n) + ": spatial size unknown");
                return;
            }
            inner *= d;
        }
        long outer = 1;
        for (int i = axis; i < l.axis(); i++) {
            long d = rules.dim(n.input(0), i);
            outer = d < 0 ? -1 : outer * d;
        }
        if (outer != 1) {
            rules.freeze(n.input(0), label(n) + ": axes before the channel axis are flattened with it");
            return;
        }
        List<Segment> segs = new ArrayList<>();
        for (Segment s : l.segments()) segs.add(new Segment(s.space(), s.size(), s.repeat() * inner));
        rules.setLayout(n.output(0), new Layout(axis, segs));
    }
}
