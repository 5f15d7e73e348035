package dev.orbit.ops.conv;

import java.util.Arrays;
import java.util.Set;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Node;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.UnsupportedOpException;

/**
 * Sliding-window attributes along the spatial axes: kernel, strides, dilations, pads (begin…, end…),
 * auto_pad and ceil_mode. {@code pool} selects ONNX Runtime's pooling variant of SAME padding, which
 * sizes the pad with the undilated kernel.
 */
public record WindowGeometry(long[] kernel, long[] strides, long[] dilations, long[] pads, String autoPad, boolean ceil,
                             boolean pool) {
    public static WindowGeometry of(Node node, long[] kernel, boolean pool) {
        int n = kernel.length;
        var at = node.attributes();
        String autoPad = at.getString("auto_pad", "NOTSET");
        if (!Set.of("NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID").contains(autoPad)) {
            throw new UnsupportedOpException(node.opType() + " node '" + node.label() + "': auto_pad '"
                    + autoPad + "' is not an ONNX padding mode");
        }
        return new WindowGeometry(kernel, vector(node, "strides", n, 1), vector(node, "dilations", n, 1),
                vector(node, "pads", 2 * n, 0), autoPad, at.getInt("ceil_mode", 0) != 0, pool);
    }

    public long effectiveKernel(int i) { return (kernel[i] - 1) * dilations[i] + 1; }

    /** {pad_begin, pad_end, out} along spatial axis i for an input of length in. */
    public long[] resolve(int i, long in) {
        int n = kernel.length;
        long s = strides[i];
        long ek = effectiveKernel(i);
        long head;
        long tail;
        switch (autoPad) {
            case "VALID" -> { head = 0; tail = 0; }
            case "SAME_UPPER", "SAME_LOWER" -> {
                long target = (in + s - 1) / s;
                long needed = (target - 1) * s + (pool ? kernel[i] : ek) - in;
                head = autoPad.equals("SAME_LOWER") ? (needed + 1) / 2 : needed / 2;
                tail = needed - head;
            }
            default -> { head = pads[i]; tail = pads[i + n]; }
        }
        long span = in + head + tail - ek;
        long out;
        if (ceil) {
            out = Math.ceilDiv(span, s) + 1;
            // the last window must start inside the input or its leading pad (ONNX Runtime, onnx#5741)
            if ((out - 1) * s >= in + head) out--;
        } else {
            out = Math.floorDiv(span, s) + 1;
        }
        return new long[] {head, tail, out};
    }

    /** The output length along axis i; a symbolic input keeps its symbol only when the map is the identity. */
    public Dim outDim(int i, Dim in) {
        if (in instanceof Dim.Known(long s)) return Dim.of(resolve(i, s)[2]);
        if (strides[i] != 1) return Dim.unknown();
        long probe = 1L << 20;
        return OpSupport.affine(in, 1, resolve(i, probe)[2] - probe);
    }

    /** An integer-list attribute of exactly n entries, or n copies of dflt when absent. */
    public static long[] vector(Node node, String name, int n, long dflt) {
        long[] v = node.attributes().getInts(name, null);
        if (v == null) {
            v = new long[n];
            Arrays.fill(v, dflt);
        } else if (v.length != n) {
            throw OpSupport.shapeError(node, name + " " + Arrays.toString(v) + " should have " + n + " entries");
        }
        return v;
    }

    /** libtorch's pad list (last axis first, begin then end) for the trailing begin.length axes. */
    public static long[] torchPads(long[] begin, long[] end) {
        int n = begin.length;
        long[] p = new long[2 * n];
        for (int i = 0; i < n; i++) {
            p[2 * i] = begin[n - 1 - i];
            p[2 * i + 1] = end[n - 1 - i];
        }
        return p;
    }
}
