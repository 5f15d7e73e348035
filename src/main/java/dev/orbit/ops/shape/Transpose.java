package dev.orbit.ops.shape;

import static dev.orbit.ops.SpaceRules.label;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ShapeException;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.Layout;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;

/** Transpose (perm defaults to reversing the axes). Symmetry: the channel axis moves with its layout (NHWC ↔ NCHW). */
public final class Transpose implements Op {
    @Override
    public String opType() { return "Transpose"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        int[] perm = perm(node, x.rank());
        List<Dim> out = new ArrayList<>(perm.length);
        for (int p : perm) out.add(x.shape().dim(p));
        return OpSupport.one(new ValueType(x.dtype(), new Shape(out), x.rank() <= 1 ? x.intValues() : transposed(x, perm)));
    }

    /** Tracked values of a tensor of known shape, in the transposed order (F.pad's export transposes its pad table). */
    private static List<Dim> transposed(ValueType x, int[] perm) {
        List<Dim> v = x.intValues();
        if (v == null || !x.shape().isFullyKnown() || x.shape().knownCount() != v.size()) return null;
        long[] in = x.shape().sizes();
        int r = in.length;
        long[] stride = new long[r];
        for (int i = r - 1, s = 1; i >= 0; s *= (int) in[i], i--) stride[i] = s;
        List<Dim> out = new ArrayList<>(v.size());
        long[] idx = new long[r];  // index into the output, odometer order
        for (int n = 0; n < v.size(); n++) {
            long flat = 0;
            for (int a = 0; a < r; a++) flat += idx[a] * stride[perm[a]];
            out.add(v.get((int) flat));
            for (int a = r - 1; a >= 0 && ++idx[a] == in[perm[a]]; a--) idx[a] = 0;
        }
        return out;
    }

    private static int[] perm(Node node, int rank) {
        long[] p = node.attributes().getInts("perm", null);
        int[] perm = new int[rank];
        if (p == null) {
            for (int i = 0; i < rank; i++) perm[i] = rank - 1 - i;
            return perm;
        }
        if (p.length != rank) {
            throw new ShapeException("Transpose node '" + node.label() + "': perm " + Arrays.toString(p)
                    + " does not match rank " + rank);
        }
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            int a = OpSupport.axis(node, p[i], rank);
            if (seen[a]) throw new ShapeException("Transpose node '" + node.label() + "': perm " + Arrays.toString(p) + " repeats an axis");
            seen[a] = true;
            perm[i] = a;
        }
        return perm;
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        int[] p = perm(node, (int) x.dim());
        return OpSupport.one(x.permute(Arrays.stream(p).asLongStream().toArray()));
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        Layout l = rules.layout(node.input(0));
        if (l == null) return;
        int r = rules.rank(node.input(0));
        if (r < 0) {
            rules.freeze(node.input(0), label(node) + ": the rank of its input is unknown");
            return;
        }
        int[] perm = perm(node, r);
        for (int i = 0; i < perm.length; i++) {
            if (perm[i] == l.axis()) {
                rules.setLayout(node.output(0), l.withAxis(i));
                return;
            }
        }
    }
}
