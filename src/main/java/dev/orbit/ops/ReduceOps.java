package dev.orbit.ops;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.amax;
import static org.bytedeco.pytorch.global.torch.amin;
import static org.bytedeco.pytorch.global.torch.mean;
import static org.bytedeco.pytorch.global.torch.sum;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueType;

/**
 * ReduceMean, ReduceSum, ReduceMax, ReduceMin. Axes are an attribute until they became an input (ReduceSum
 * in opset 13, the others in 18); no axes means all axes unless noop_with_empty_axes asks for the identity.
 * keepdims (default 1) keeps reduced axes as size 1. Integer results keep the input's type.
 */
public final class ReduceOps implements OpFamily {
    @Override
    public Set<String> opTypes() { return Set.of("ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin"); }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        int r = x.rank();
        boolean keep = node.attributes().getInt("keepdims", 1) != 0;
        ShapeOps.IntArg axes = ShapeOps.intArg(node, ctx, "axes", 1);
        long[] known = axes.knownValues();
        if (axes.present() && known == null) {
            // axes computed at run time: with keepdims the rank survives, else it does only if the count is known
            if (keep) return OpSupport.one(new ValueType(x.dtype(), allUnknown(r)));
            ValueType a = ctx.require(node, 1);
            if (a.rank() != 1 || !a.shape().dim(0).isKnown()) throw new InferContext.UnknownShapeSignal();
            return OpSupport.one(new ValueType(x.dtype(), allUnknown(r - (int) a.shape().dim(0).size())));
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
        return ShapeOps.axisMask(node, axes, rank);
    }

    private static Shape allUnknown(int rank) {
        List<Dim> dims = new ArrayList<>(rank);
        for (int i = 0; i < rank; i++) dims.add(Dim.unknown());
        return new Shape(dims);
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        boolean keep = node.attributes().getInt("keepdims", 1) != 0;
        boolean[] reduced = reducedAxes(node, ShapeOps.longsArg(node, ctx, "axes", 1), (int) x.dim());
        if (reduced == null) return OpSupport.one(new Tensor(x));
        List<Long> list = new ArrayList<>();
        for (int i = 0; i < reduced.length; i++) if (reduced[i]) list.add((long) i);
        long[] dims = list.stream().mapToLong(Long::longValue).toArray();
        ScalarType type = x.scalar_type().intern();
        boolean integral = ArithmeticOps.isIntegral(x);
        Tensor y = switch (node.opType()) {
            // libtorch has no integer mean; the double mean truncated equals integer division toward zero
            case "ReduceMean" -> integral ? mean(x.to(ScalarType.Double), dims, keep, new ScalarTypeOptional()).to(type)
                    : mean(x, dims, keep, new ScalarTypeOptional());
            // libtorch widens integer sums to int64; ONNX keeps the input type
            case "ReduceSum" -> sum(x, dims, keep, new ScalarTypeOptional()).to(type);
            case "ReduceMax" -> amax(x, dims, keep);
            case "ReduceMin" -> amin(x, dims, keep);
            default -> throw new IllegalStateException(node.opType());
        };
        return OpSupport.one(y);
    }

    // ---------------------------------------------------------------- symmetry

    @Override
    public void spaceRule(Node node, SpaceRules rules) { reduceRule(rules, node); }

    private static void reduceRule(SpaceRules rules, Node n) {
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
        if (n.opType().equals("ReduceMax") || n.opType().equals("ReduceMin")) {
            rules.positiveScalingOnly(l, label(n) + ": a negative factor would swap max and min");
        }
        rules.setLayout(n.output(0), l.withAxis(l.axis() + shift));
    }
}
