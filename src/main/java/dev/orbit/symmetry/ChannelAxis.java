package dev.orbit.symmetry;

import java.util.Map;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueType;

/**
 * Follows a channel axis through ops that may move it but treat every channel alike and linearly, so any linear
 * map of the channels commutes with them and a constant per-channel offset passes unchanged: Identity, Dropout,
 * Transpose (wherever it puts the axis), GlobalAveragePool and ReduceMean over the other axes (the mean of a
 * constant is that constant), and Reshape, Flatten, Squeeze, Unsqueeze that keep the channels whole as one axis.
 * This is how a head reads a channel-last stream in NCHW code: norm → permute(0, 3, 1, 2) → average pool → flatten
 * → linear (torchvision's Swin and ConvNeXt classifiers).
 */
final class ChannelAxis {
    private ChannelAxis() {}

    /**
     * The channel axis of {@code n}'s first output when it reads {@code v} with the channels on {@code axis}, or -1
     * when {@code n} is not such an op (or mixes the channels, or shapes are not known well enough to tell).
     */
    static int through(Node n, String v, int axis, Graph graph, Map<String, ValueType> types) {
        if (n.outputs().isEmpty() || !n.input(0).equals(v)) return -1;
        Shape in = shape(types, v);
        Shape out = shape(types, n.output(0));
        if (in == null || out == null || axis < 0 || axis >= in.rank()) return -1;
        return switch (n.opType()) {
            case "Identity", "Dropout" -> axis;
            case "Transpose" -> {
                long[] perm = n.attributes().getInts("perm", null);
                if (perm == null) {
                    yield in.rank() - 1 - axis; // default: reverse the axes
                }
                for (int j = 0; j < perm.length; j++) if (perm[j] == axis) yield j;
                yield -1;
            }
            case "GlobalAveragePool" -> axis == 1 ? 1 : -1; // averages every axis after 1
            case "ReduceMean" -> reduceMean(n, axis, in.rank(), graph);
            case "Reshape", "Flatten", "Squeeze", "Unsqueeze" -> wholeAxis(in, axis, out);
            default -> -1;
        };
    }

    private static Shape shape(Map<String, ValueType> types, String v) {
        ValueType t = types.get(v);
        return t == null ? null : t.shape();
    }

    private static int reduceMean(Node n, int axis, int rank, Graph graph) {
        long[] axes = n.attributes().getInts("axes", null);
        String a = n.input(1);
        if (axes == null && !a.isEmpty() && graph.isParameter(a)) axes = graph.parameter(a).toLongArray();
        if (axes == null || axes.length == 0) return -1; // all axes, the channels too
        boolean keep = n.attributes().getInt("keepdims", 1) != 0;
        int before = 0;
        for (long x : axes) {
            long r = x < 0 ? x + rank : x;
            if (r == axis) return -1;
            if (r < axis) before++;
        }
        return keep ? axis : axis - before;
    }

    /**
     * A row-major regrouping keeps the channels whole when some output axis has their size and the same number of
     * elements after it: then that axis's index is the channel index at every position.
     */
    private static int wholeAxis(Shape in, int axis, Shape out) {
        Dim c = in.dim(axis);
        long after = product(in, axis + 1);
        if (!c.isKnown() || c.size() < 2 || after < 0) return -1;
        for (int j = 0; j < out.rank(); j++) {
            Dim d = out.dim(j);
            if (d.isKnown() && d.size() == c.size() && product(out, j + 1) == after) return j;
        }
        return -1;
    }

    /** The product of the dimensions from {@code from} on, or -1 when one is not known. */
    private static long product(Shape s, int from) {
        long p = 1;
        for (int i = from; i < s.rank(); i++) {
            if (!s.dim(i).isKnown()) return -1;
            p *= s.dim(i).size();
        }
        return p;
    }
}
