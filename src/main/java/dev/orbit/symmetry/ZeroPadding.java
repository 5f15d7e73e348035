package dev.orbit.symmetry;

import java.util.Map;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;

/**
 * A Pad node with constant zero fill, and its pad amounts where they are known (an attribute, a constant, or shape
 * arithmetic that shape inference folded: Swin's window padding). Zero padding along token axes commutes with any
 * linear map of the channels (0·Q = 0), so a residual rotation passes it; a norm's bias folds through it only when
 * it pads nothing.
 */
final class ZeroPadding {
    private ZeroPadding() {}

    /** The pads (begin…, end…) of a constant-zero Pad, or null when not such a Pad or not known. */
    static long[] pads(Node n, Graph graph, Map<String, ValueType> types) {
        if (!n.opType().equals("Pad") || !n.attributes().getString("mode", "constant").equals("constant")) return null;
        if (n.attributes().getFloat("value", 0f) != 0f) return null;
        String fill = n.input(2);
        if (!fill.isEmpty() && (!graph.isParameter(fill) || graph.parameter(fill).getAsDouble(0) != 0)) return null;
        long[] pads = n.attributes().getInts("pads", null);
        if (pads != null) return pads;
        String p = n.input(1);
        if (p.isEmpty()) return null;
        if (graph.isParameter(p)) return graph.parameter(p).toLongArray();
        ValueType t = types.get(p);
        if (t == null || !t.hasIntValues()) return null;
        long[] out = new long[t.intValues().size()];
        for (int i = 0; i < out.length; i++) {
            if (!(t.intValues().get(i) instanceof Dim.Known(long s))) return null;
            out[i] = s;
        }
        return out;
    }

    /** A constant-zero Pad that leaves the last axis (the channels) alone. */
    static boolean keepsLastAxis(Node n, Graph graph, Map<String, ValueType> types, int rank) {
        long[] p = pads(n, graph, types);
        return p != null && p.length == 2L * rank && rank > 0 && p[rank - 1] == 0 && p[2 * rank - 1] == 0
                && (n.inputs().size() < 4 || n.input(3).isEmpty());
    }

    /** A Pad that pads nothing: the identity. */
    static boolean isIdentity(Node n, Graph graph, Map<String, ValueType> types) {
        long[] p = pads(n, graph, types);
        if (p == null) return false;
        for (long x : p) if (x != 0) return false;
        return true;
    }
}
