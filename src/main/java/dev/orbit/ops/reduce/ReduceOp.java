package dev.orbit.ops.reduce;

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
import dev.orbit.ops.SpaceRules;

/**
 * The reductions. Axes are an attribute until they became an input (ReduceSum in opset 13, the others in 18); no
 * axes means all axes unless noop_with_empty_axes asks for the identity. keepdims (default 1) keeps reduced axes
 * as size 1. Integer results keep the input's type. Symmetry: reducing over other axes passes the channels.
 */
abstract class ReduceOp implements Op {
    private final String opType;

    ReduceOp(String opType) { this.opType = opType; }

    @Override
    public final String opType() { return opType; }

    /** The reduction over {@code dims} with libtorch. */
    abstract Tensor reduce(Tensor x, long[] dims, boolean keep);

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        int r = x.rank();
        boolean keep = node.attributes().getInt("keepdims", 1) != 0;
        OpArgs.IntArg axes = OpArgs.intArg(node, ctx, "axes", 1);
        long[] known = axes.knownValues();
        if (axes.present() && known == null) {
            // axes computed at run time: with keepdims the rank survives, else it does only if the count is known
            if (keep) return OpSupport.one(new ValueType(x.dtype(), OpArgs.allUnknown(r)));
            ValueType a = ctx.require(node, 1);
            if (a.rank() != 1 || !a.shape().dim(0).isKnown()) throw new InferContext.UnknownShapeSignal();
            return OpSupport.one(new ValueType(x.dtype(), OpArgs.allUnknown(r - (int) a.shape().dim(0).size())));
        }
        boolean[] reduced = reducedAxes(node, known, r);
        if (reduced == null) return OpSupport.one(new ValueType(x.dtype(), x.shape()));
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < r; i++) {
            if (!reduced[i]) out.add(x.shape().dim(i));
            else if (keep) out.add(Dim.of(1));
        }
        return OpSupport.one(new ValueType(x.dtype(), new Shape(out)));
    }

    /** Which axes to reduce; null for the identity (empty axes with noop_with_empty_axes). */
    private static boolean[] reducedAxes(Node node, long[] axes, int rank) {
        if (axes == null || axes.length == 0) {
            if (node.attributes().getInt("noop_with_empty_axes", 0) != 0) return null;
            boolean[] all = new boolean[rank];
            java.util.Arrays.fill(all, true);
            return all;
        }
        return OpArgs.axisMask(node, axes, rank);
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        boolean keep = node.attributes().getInt("keepdims", 1) != 0;
        boolean[] reduced = reducedAxes(node, OpArgs.longsArg(node, ctx, "axes", 1), (int) x.dim());
        if (reduced == null) return OpSupport.one(new Tensor(x));
        List<Long> list = new ArrayList<>();
        for (int i = 0; i < reduced.length; i++) if (reduced[i]) list.add((long) i);
        long[] dims = list.stream().mapToLong(Long::longValue).toArray();
        return OpSupport.one(reduce(x, dims, keep));
    }

    /** Extra restrictions of this reduction on the space that passes (max and min: positive factors only). */
    void restrict(Node n, Layout l, SpaceRules rules) { }

    @Override
    public void spaceRule(Node n, SpaceRules rules) {
        Layout l = rules.layout(n.input(0));
        if (l == null) return;
        long[] axes = n.attributes().getInts("axes", null);
        if (axes == null && rules.isParam(n.input(1))) axes = rules.parameter(n.input(1)).toLongArray();
        int r = rules.rank(n.input(0));
        if (axes == null || axes.length == 0 || r < 0) {
            rules.freeze(n.input(0), label(n) + ": reduces over every axis, the channel axis included");
            return;
        }
        boolean keep = n.attributes().getInt("keepdims", 1) != 0;
        int shift = 0;
        for (long a : axes) {
            long na = a < 0 ? a + r : a;
            if (na == l.axis()) {
                rules.freeze(n.input(0), label(n) + ": reduces over the channel axis");
                return;
            }
            if (na < l.axis() && !keep) shift--;
        }
        restrict(n, l, rules);
        rules.setLayout(n.output(0), l.withAxis(l.axis() + shift));
    }
}
