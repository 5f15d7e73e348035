package dev.orbit.symmetry;

import dev.orbit.graph.Graph;
import dev.orbit.graph.Node;
import dev.orbit.ops.ParamAxis;

/**
 * Traces one axis of a value back to the parameter axis it re-indexes, through ops that move a tensor only along
 * other axes: a position-embedding table sliced to the sequence length, an embedding looked up by token ids, a
 * class token expanded over the batch. Anything that mixes entries of the axis (or an unknown op) ends the trace.
 */
final class ConstantAxes {
    private static final int DEPTH = 32;

    private ConstantAxes() {}

    static ParamAxis trace(ValueShapes rules, Graph graph, String value, int axis) {
        String v = value;
        int a = axis;
        for (int step = 0; step < DEPTH; step++) {
            if (v.isEmpty() || a < 0) return null;
            if (graph.isParameter(v)) {
                var p = graph.parameter(v);
                return p.dtype().isFloating() && a < p.rank() ? new ParamAxis(v, a) : null;
            }
            Node n = graph.producer(v);
            if (n == null || !n.isStandardDomain()) return null;
            int rin = rules.rank(n.input(0));
            int rout = rules.rank(v);
            if (rin < 0 || rout < 0) return null;
            switch (n.opType()) {
                case "Identity", "Cast", "Dropout" -> { }
                case "Unsqueeze", "Squeeze" -> {
                    long[] axes = n.attributes().getInts("axes", null);
                    if (axes == null) axes = n.inputs().size() > 1 ? rules.intValues(n.input(1)) : null;
                    if (axes == null) return null;
                    a = mapSqueeze(n.opType().equals("Unsqueeze"), axes, a, rin, rout);
                }
                case "Expand" -> {
                    a = a - (rout - rin);
                    if (a < 0 || rules.dim(n.input(0), a) != rules.dim(v, a + (rout - rin))) return null;
                }
                case "Slice" -> {
                    long[] axes = n.inputs().size() > 3 && !n.input(3).isEmpty() ? rules.intValues(n.input(3)) : null;
                    if (axes == null) {
                        long[] starts = rules.intValues(n.input(1));
                        if (starts == null) return null;
                        axes = new long[starts.length];
                        for (int i = 0; i < axes.length; i++) axes[i] = i;
                    }
                    for (long x : axes) if ((x < 0 ? x + rin : x) == a) return null;
                }
                case "Gather" -> {
                    long g = n.attributes().getInt("axis", 0);
                    if (g < 0) g += rin;
                    int q = rules.rank(n.input(1));
                    if (q < 0) return null;
                    if (a >= g && a < g + q) return null;
                    if (a >= g + q) a = a - q + 1;
                }
                case "Transpose" -> {
                    long[] perm = n.attributes().getInts("perm", null);
                    a = perm == null ? rin - 1 - a : (int) perm[a];
                }
                case "Reshape" -> {
                    int in = keptAxis(rules, n.input(0), v, a);
                    if (in < 0) return null;
                    a = in;
                }
                default -> { return null; }
            }
            v = n.input(0);
        }
        return null;
    }

    private static int mapSqueeze(boolean unsqueeze, long[] axes, int a, int rin, int rout) {
        java.util.TreeSet<Long> sorted = new java.util.TreeSet<>();
        for (long x : axes) sorted.add(x < 0 ? x + (unsqueeze ? rout : rin) : x);
        if (unsqueeze) {
            if (sorted.contains((long) a)) return -1;
            int before = (int) sorted.headSet((long) a).size();
            return a - before;
        }
        // squeeze: output axis a is the a-th input axis that is not removed
        int seen = -1;
        for (int i = 0; i < rin; i++) {
            if (sorted.contains((long) i)) continue;
            if (++seen == a) return i;
        }
        return -1;
    }

    /**
     * The input axis that a reshape keeps as output axis {@code a}: same length, and the axes before it hold the
     * same number of entries in both shapes (so every index of the axis keeps its slab).
     */
    static int keptAxis(ValueShapes rules, String in, String out, int a) {
        long[] si = rules.shape(in);
        long[] so = rules.shape(out);
        if (si == null || so == null || a >= so.length) return -1;
        long prefix = 1;
        for (int i = 0; i < a; i++) prefix *= so[i];
        long p = 1;
        for (int i = 0; i < si.length; i++) {
            if (p == prefix && si[i] == so[a]) return i;
            p *= si[i];
            if (p > prefix) return -1;
        }
        return -1;
    }
}
