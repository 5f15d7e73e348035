package dev.orbit.ops.indexing;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.add;
import static org.bytedeco.pytorch.global.torch.split_with_sizes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Node;
import dev.orbit.graph.ShapeException;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Layout;
import dev.orbit.ops.SpaceRules;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpArgs;
import dev.orbit.ops.OpSupport;

/**
 * Split: sizes as attribute before opset 13, as input from 13, num_outputs from 18. Symmetry: splitting another axis
 * passes the channels to every part; splitting the channel axis keeps whole neuron spaces only (fused q|k|v).
 */
public final class Split implements Op {
    @Override
    public String opType() { return "Split"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        int a = OpSupport.axis(node, node.attributes().getInt("axis", 0), x.rank());
        int n = node.outputs().size();
        Dim d = x.shape().dim(a);
        List<Dim> sizes;
        OpArgs.IntArg given = OpArgs.intArg(node, ctx, "split", 1);
        if (given.present()) {
            if (given.values() == null) {
                sizes = new ArrayList<>();
                for (int i = 0; i < n; i++) sizes.add(Dim.unknown());
            } else {
                sizes = given.values();
                if (sizes.size() != n) {
                    throw new ShapeException("Split node '" + node.label() + "': " + sizes.size() + " sizes for " + n + " outputs");
                }
                Dim total = OpArgs.sum(sizes);
                if (total.isKnown() && d.isKnown() && total.size() != d.size()) {
                    throw new ShapeException("Split node '" + node.label() + "': sizes " + sizes + " do not add up to "
                            + d + " (axis " + a + " of " + x.shape() + ")");
                }
            }
        } else if (d instanceof Dim.Known(long len)) {
            sizes = Arrays.stream(equalSizes(node, len, n)).mapToObj(Dim::of).toList();
        } else {
            sizes = new ArrayList<>();
            for (int i = 0; i < n; i++) sizes.add(n == 1 ? d : Dim.unknown());
        }
        List<ValueType> outs = new ArrayList<>(n);
        long offset = 0;
        for (Dim s : sizes) {
            List<Dim> values = null;
            if (x.rank() == 1 && x.hasIntValues() && s.isKnown() && offset >= 0) {
                values = x.intValues().subList((int) offset, (int) (offset + s.size()));
            }
            offset = s.isKnown() && offset >= 0 ? offset + s.size() : -1;
            outs.add(new ValueType(x.dtype(), x.shape().with(a, s), values));
        }
        return outs;
    }

    /** Equal parts; with num_outputs (opset 18) a dimension that does not divide leaves the last part smaller. */
    private static long[] equalSizes(Node node, long len, int outputs) {
        long n = node.attributes().getInt("num_outputs", outputs);
        if (n != outputs) {
            throw new ShapeException("Split node '" + node.label() + "': num_outputs " + n + " but " + outputs + " outputs");
        }
        long chunk = Math.ceilDiv(len, n);
        if (!node.attributes().has("num_outputs") && len % n != 0) {
            throw new ShapeException("Split node '" + node.label() + "': dimension " + len + " does not split into "
                    + n + " equal parts");
        }
        long[] sizes = new long[(int) n];
        for (int i = 0; i < n; i++) sizes[i] = Math.max(0, Math.min(chunk, len - i * chunk));
        return sizes;
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) { return split(node, ctx, ctx.require(node, 0)); }

    private static List<Tensor> split(Node node, EvalContext ctx, Tensor x) {
        int a = OpSupport.axis(node, node.attributes().getInt("axis", 0), (int) x.dim());
        long[] sizes = OpArgs.longsArg(node, ctx, "split", 1);
        long len = x.size(a);
        if (sizes == null) {
            sizes = equalSizes(node, len, node.outputs().size());
        } else if (Arrays.stream(sizes).sum() != len || sizes.length != node.outputs().size()) {
            throw new ShapeException("Split node '" + node.label() + "': sizes " + Arrays.toString(sizes)
                    + " do not split " + len + " into " + node.outputs().size() + " outputs");
        }
        TensorVector parts = split_with_sizes(x, sizes, a);
        List<Tensor> outs = new ArrayList<>(sizes.length);
        for (long i = 0; i < parts.size(); i++) outs.add(parts.get(i));
        return outs;
    }

    @Override
    public void spaceRule(Node n, SpaceRules rules) {
        Layout l = rules.layout(n.input(0));
        if (l == null) return;
        int r = rules.rank(n.input(0));
        long axis = n.attributes().getInt("axis", 0);
        if (axis < 0) axis += r;
        if (axis != l.axis()) {
            for (String out : n.outputs()) if (!out.isEmpty()) rules.setLayout(out, l);
            return;
        }
        java.util.List<Layout> parts = new java.util.ArrayList<>();
        long start = 0;
        for (String out : n.outputs()) {
            long len = rules.dim(out, (int) axis);
            Layout part = len < 0 ? null : ChannelSelection.range(l, start, start + len);
            if (part == null) {
                rules.freeze(n.input(0), label(n) + ": splits a neuron space on the channel axis");
                return;
            }
            parts.add(part);
            start += len;
        }
        for (int i = 0; i < parts.size(); i++) if (!n.output(i).isEmpty()) rules.setLayout(n.output(i), parts.get(i));
    }
}
