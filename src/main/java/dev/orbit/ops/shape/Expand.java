package dev.orbit.ops.shape;

import static dev.orbit.ops.SpaceRules.label;

import java.util.Arrays;
import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Dim;
import dev.orbit.graph.ModelFormatException;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ShapeException;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Layout;
import dev.orbit.ops.SpaceRules;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpArgs;
import dev.orbit.ops.OpSupport;

/** Expand: numpy broadcasting to a shape. Symmetry: copies along other axes pass the channels. */
public final class Expand implements Op {
    @Override
    public String opType() { return "Expand"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        List<Dim> target = ctx.intValues(1);
        Shape s = target != null ? new Shape(target) : OpArgs.unknownOfLength(ctx.require(node, 1));
        return OpSupport.one(new ValueType(x.dtype(), OpSupport.broadcast(node, x.shape(), s)));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) { return OpSupport.one(expand(node, ctx.require(node, 0), ctx.longs(1))); }

    private static Tensor expand(Node node, Tensor x, long[] target) {
        if (target == null) throw new ModelFormatException("Expand node '" + node.label() + "' needs a shape input");
        long[] s = OpSupport.sizes(x);
        int rank = Math.max(s.length, target.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long a = i < rank - s.length ? 1 : s[i - (rank - s.length)];
            long b = i < rank - target.length ? 1 : target[i - (rank - target.length)];
            if (a != b && a != 1 && b != 1) {
                throw new ShapeException("Expand node '" + node.label() + "': " + Arrays.toString(s)
                        + " does not broadcast to " + Arrays.toString(target));
            }
            out[i] = a == 1 ? b : a;
        }
        return x.expand(out);
    }

    @Override
    public void spaceRule(Node n, SpaceRules rules) {
        Layout l = rules.layout(n.input(0));
        if (l == null) return;
        int shift = rules.rank(n.output(0)) - rules.rank(n.input(0));
        long in = rules.dim(n.input(0), l.axis());
        long out = rules.dim(n.output(0), l.axis() + shift);
        if (rules.rank(n.input(0)) < 0 || shift < 0 || in < 0 || in != out) {
            rules.freeze(n.input(0), label(n) + ": does not keep the channel axis as it is");
            return;
        }
        rules.setLayout(n.output(0), l.withAxis(l.axis() + shift));
    }
}
