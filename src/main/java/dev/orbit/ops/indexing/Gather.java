package dev.orbit.ops.indexing;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.add;
import static org.bytedeco.pytorch.global.torch.index_select;
import static org.bytedeco.pytorch.global.torch.lt;
import static org.bytedeco.pytorch.global.torch.where;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ShapeException;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Layout;
import dev.orbit.ops.Role;
import dev.orbit.ops.Segment;
import dev.orbit.ops.SpaceRules;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;

/** Gather along one axis; negative indices count from the back. Its input freezes. */
public final class Gather implements Op {
    @Override
    public String opType() { return "Gather"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        return OpSupport.one(inferOne(node, ctx));
    }

    private static ValueType inferOne(Node node, InferContext ctx) {
        ValueType data = ctx.require(node, 0);
        ValueType idx = ctx.require(node, 1);
        int r = data.rank();
        int a = OpSupport.axis(node, node.attributes().getInt("axis", 0), r);
        List<Dim> out = new ArrayList<>(data.shape().dims().subList(0, a));
        out.addAll(idx.shape().dims());
        out.addAll(data.shape().dims().subList(a + 1, r));
        List<Dim> picks = ctx.intValues(1);
        if (picks == null || !picks.stream().allMatch(Dim::isKnown)) return new ValueType(data.dtype(), new Shape(out));
        Dim len = data.shape().dim(a);
        List<Dim> values = r == 1 && data.hasIntValues() ? new ArrayList<>(picks.size()) : null;
        for (Dim p : picks) {
            if (!(len instanceof Dim.Known(long n))) break;
            long i = p.size() < 0 ? p.size() + n : p.size();
            if (i < 0 || i >= n) {
                throw new ShapeException("Gather node '" + node.label() + "': index " + p + " is out of range for "
                        + "axis " + a + " of " + data.shape());
            }
            if (values != null) values.add(data.intValues().get((int) i));
        }
        return new ValueType(data.dtype(), new Shape(out), len.isKnown() ? values : null);
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) { return OpSupport.one(gather(node, ctx.require(node, 0), ctx.require(node, 1))); }

    private static Tensor gather(Node node, Tensor data, Tensor indices) {
        int r = (int) data.dim();
        int a = OpSupport.axis(node, node.attributes().getInt("axis", 0), r);
        Tensor idx = indices.to(ScalarType.Long);
        // negative indices count from the back
        idx = where(lt(idx, new Scalar(0L)), add(idx, new Scalar(data.size(a))), idx);
        long[] ds = OpSupport.sizes(data);
        long[] is = OpSupport.sizes(indices);
        long[] out = new long[r - 1 + is.length];
        System.arraycopy(ds, 0, out, 0, a);
        System.arraycopy(is, 0, out, a, is.length);
        System.arraycopy(ds, a + 1, out, a + is.length, r - a - 1);
        return index_select(data, a, idx.reshape(-1)).reshape(out);
    }

    /**
     * Symmetry: gathering along another axis passes the channels (a token picked, an embedding looked up by position);
     * gathering channels by constant indices keeps whole neuron spaces only. A constant table read by computed
     * indices (an embedding) is a linear writer: one-hot × table creates a space on the table's last axis.
     */
    @Override
    public void spaceRule(Node n, SpaceRules rules) {
        String data = n.input(0);
        Layout l = rules.layout(data);
        int r = rules.rank(data);
        long axis = n.attributes().getInt("axis", 0);
        if (axis < 0) axis += r;
        int q = rules.rank(n.input(1));
        if (l == null) {
            if (rules.isParam(data) && !rules.isParam(n.input(1)) && rules.parameter(data).rank() == 2 && axis == 0 && q >= 0
                    && rules.parameter(data).dtype().isFloating()) {
                long d = rules.parameter(data).dim(1);
                int s = rules.newSpace(d, label(n) + " (embedding lookup)");
                rules.touch(s, data, 1, Role.COVARIANT, 0, 1);
                rules.setLayout(n.output(0), new Layout(q, java.util.List.of(new Segment(s, d, 1))));
            }
            return;
        }
        if (q < 0 || r < 0) {
            rules.freeze(data, label(n) + ": ranks unknown");
            return;
        }
        if (axis != l.axis()) {
            rules.setLayout(n.output(0), l.withAxis(l.axis() < axis ? l.axis() : l.axis() + q - 1));
            return;
        }
        long[] idx = rules.intValues(n.input(1));
        Layout part = null;
        if (idx != null && q == 1 && idx.length > 0) {
            long len = l.length();
            boolean contiguous = true;
            for (int i = 0; i < idx.length; i++) {
                long v = idx[i] < 0 ? idx[i] + len : idx[i];
                long first = idx[0] < 0 ? idx[0] + len : idx[0];
                contiguous &= v == first + i;
            }
            long first = idx[0] < 0 ? idx[0] + len : idx[0];
            if (contiguous) part = ChannelSelection.range(l, first, first + idx.length);
        }
        if (part == null) {
            rules.freeze(data, label(n) + ": picks channels that are not whole neuron spaces");
            return;
        }
        rules.setLayout(n.output(0), part);
    }
}
