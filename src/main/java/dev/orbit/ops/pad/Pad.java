package dev.orbit.ops.pad;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.constant_pad_nd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

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
import dev.orbit.ops.UnsupportedOpException;
import dev.orbit.ops.conv.WindowGeometry;
import dev.orbit.tensor.NdArray;

/**
 * Pad: pads (begin…, end…) as attribute before opset 11 and as input from 11, optional constant_value,
 * optional axes (18+); modes constant, reflect, edge and wrap (19+). Negative pads crop. Constant padding is
 * libtorch's constant_pad_nd; the other modes gather with host-computed indices, which works for any rank
 * and axis and keeps autograd.
 */
public final class Pad implements Op {
    @Override
    public String opType() { return "Pad"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        int rank = x.rank();
        mode(node);
        int[] axes = inferAxes(node, ctx, rank);
        List<Dim> pads = ctx.opset() < 11 ? attrPads(node) : ctx.intValues(1);
        List<Dim> out = new ArrayList<>(x.shape().dims());
        if (axes == null || pads == null) {
            // which axes grow, or by how much, is not known here
            if (axes == null) out.replaceAll(d -> Dim.unknown());
            else for (int a : axes) out.set(a, Dim.unknown());
            return OpSupport.one(new ValueType(x.dtype(), new Shape(out)));
        }
        checkCount(node, pads.size(), axes.length);
        for (int i = 0; i < axes.length; i++) {
            Dim b = pads.get(i);
            Dim e = pads.get(i + axes.length);
            int a = axes[i];
            out.set(a, b.isKnown() && e.isKnown() ? OpSupport.affine(out.get(a), 1, b.size() + e.size()) : Dim.unknown());
        }
        return OpSupport.one(new ValueType(x.dtype(), new Shape(out)));
    }

    private static List<Dim> attrPads(Node node) {
        long[] p = node.attributes().getInts("pads", node.attributes().getInts("paddings", null));
        if (p == null) throw OpSupport.shapeError(node, "the pads attribute is required before opset 11");
        return Arrays.stream(p).mapToObj(Dim::of).toList();
    }

    /** The padded axes, or null when an axes input exists but is not known statically. */
    private static int[] inferAxes(Node node, InferContext ctx, int rank) {
        if (ctx.opset() < 18 || ctx.input(3) == null) return allAxes(rank);
        List<Dim> v = ctx.intValues(3);
        if (v == null || !v.stream().allMatch(Dim::isKnown)) return null;
        return normalise(node, v.stream().mapToLong(Dim::size).toArray(), rank);
    }

    private static int[] allAxes(int rank) {
        int[] a = new int[rank];
        for (int i = 0; i < rank; i++) a[i] = i;
        return a;
    }

    private static int[] normalise(Node node, long[] axes, int rank) {
        int[] a = new int[axes.length];
        for (int i = 0; i < axes.length; i++) a[i] = OpSupport.axis(node, axes[i], rank);
        return a;
    }

    private static void checkCount(Node node, int pads, int axes) {
        if (pads != 2 * axes) {
            throw OpSupport.shapeError(node, "pads has " + pads + " entries, expected " + 2 * axes
                    + " (begin and end for each of " + axes + " axes)");
        }
    }

    private static String mode(Node node) {
        String mode = node.attributes().getString("mode", "constant");
        if (!Set.of("constant", "reflect", "edge", "wrap").contains(mode)) {
            throw new UnsupportedOpException("Pad node '" + node.label() + "': mode '" + mode + "' is not supported");
        }
        return mode;
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        long[] shape = OpSupport.sizes(x);
        int rank = shape.length;
        String mode = mode(node);
        long[] pads = ctx.opset() < 11 ? attrPads(node).stream().mapToLong(Dim::size).toArray() : ctx.longs(1);
        if (pads == null) throw OpSupport.shapeError(node, "the pads input is required");
        long[] rawAxes = ctx.opset() >= 18 ? ctx.longs(3) : null;
        int[] axes = rawAxes == null ? allAxes(rank) : normalise(node, rawAxes, rank);
        checkCount(node, pads.length, axes.length);
        long[] begin = new long[rank];
        long[] end = new long[rank];
        for (int i = 0; i < axes.length; i++) {
            begin[axes[i]] += pads[i];
            end[axes[i]] += pads[i + axes.length];
        }
        for (int a = 0; a < rank; a++) {
            if (shape[a] + begin[a] + end[a] < 0) {
                throw OpSupport.shapeError(node, "pads " + Arrays.toString(pads) + " crop axis " + a + " of "
                        + Arrays.toString(shape) + " below zero");
            }
        }
        if (mode.equals("constant")) {
            Tensor c = ctx.opset() >= 11 ? ctx.input(2) : null;
            if (c != null && c.requires_grad() && c.numel() == 1) {
                // a differentiable fill value: pad with 0, then add value × (1 on padded positions)
                Tensor mask = constant_pad_nd(org.bytedeco.pytorch.global.torch.zeros_like(x), WindowGeometry.torchPads(begin, end), new Scalar(1.0));
                Tensor padded = constant_pad_nd(x, WindowGeometry.torchPads(begin, end), new Scalar(0.0));
                return OpSupport.one(org.bytedeco.pytorch.global.torch.add(padded,
                        org.bytedeco.pytorch.global.torch.mul(mask, c.reshape(new long[0]))));
            }
            return OpSupport.one(constant_pad_nd(x, WindowGeometry.torchPads(begin, end), value(node, ctx, x)));
        }
        Tensor y = x;
        for (int a = 0; a < rank; a++) {
            if (begin[a] == 0 && end[a] == 0) continue;
            long n = shape[a];
            if (n == 0) throw OpSupport.shapeError(node, "cannot " + mode + "-pad the empty axis " + a);
            long[] idx = new long[(int) (n + begin[a] + end[a])];
            for (int o = 0; o < idx.length; o++) idx[o] = source(mode, o - begin[a], n);
            y = y.index_select(a, NdArray.ofLongs(idx, idx.length).toTorch());
        }
        return OpSupport.one(y);
    }

    /** The input index an output position i (relative to the unpadded start) copies. */
    private static long source(String mode, long i, long n) {
        return switch (mode) {
            case "edge" -> Math.clamp(i, 0, n - 1);
            case "wrap" -> Math.floorMod(i, n);
            default -> {
                if (n == 1) yield 0;
                long period = 2 * (n - 1);
                long j = Math.floorMod(i, period);
                yield j < n ? j : period - j;
            }
        };
    }

    private static Scalar value(Node node, EvalContext ctx, Tensor x) {
        double v;
        if (ctx.opset() < 11) {
            v = node.attributes().getFloat("value", 0f);
        } else {
            Tensor c = ctx.input(2);
            v = c == null || c.numel() == 0 ? 0 : c.item_double();
        }
        return OpSupport.isIntegral(x) ? new Scalar((long) v) : new Scalar(v);
    }

    // ---------------------------------------------------------------- symmetry

    @Override
    public void spaceRule(Node node, SpaceRules rules) { padRule(rules, node); }

    private static void padRule(SpaceRules rules, Node n) {
        Layout l = rules.layout(n.input(0));
        if (l == null) return;
        long[] pads = n.attributes().getInts("pads", null);
        // a constant, or computed from shapes (Swin's window padding: (w − W mod w) mod w, here 0)
        if (pads == null && n.inputs().size() > 1) pads = rules.intValues(n.input(1));
        int r = rules.rank(n.input(0));
        if (pads == null || r < 0 || pads.length != 2L * r || pads[l.axis()] != 0 || pads[l.axis() + r] != 0) {
            rules.freeze(n.input(0), label(n) + ": pads are unknown or pad the channel axis");
            return;
        }
        String mode = n.attributes().getString("mode", "constant");
        double value = n.attributes().getFloat("value", 0f);
        if (rules.isParam(n.input(2))) value = rules.parameter(n.input(2)).getAsDouble(0);
        if (mode.equals("constant") && value != 0) rules.forbidScaling(l, label(n) + ": pads with a non-zero constant");
        rules.setLayout(n.output(0), l);
    }
}
