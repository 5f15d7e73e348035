package dev.orbit.ops.indexing;

import java.util.ArrayList;
import java.util.List;

import dev.orbit.graph.Node;
import dev.orbit.ops.Layout;
import dev.orbit.ops.Segment;
import dev.orbit.ops.SpaceRules;

/**
 * Selections along a channel axis (Slice, Split, Gather of constant indices): a selection that takes whole neuron
 * spaces keeps them (a fused projection's parts); one that cuts through a space cannot, since the space's
 * permutation would mix kept and dropped channels.
 */
final class ChannelSelection {
    private ChannelSelection() {}

    /** The spaces covering exactly positions [start, end) of the channel axis, or null when a space is cut. */
    static Layout range(Layout l, long start, long end) {
        List<Segment> segs = new ArrayList<>();
        long pos = 0;
        boolean inside = false;
        for (Segment s : l.segments()) {
            if (pos == start) inside = true;
            if (inside) segs.add(s);
            pos += s.length();
            if (pos == end) return inside ? new Layout(l.axis(), segs) : null;
            if (pos > end) return null;
        }
        return null;
    }

    /** An integer argument given as attribute {@code attr} or as input {@code input}; null when absent or unknown. */
    static long[] intArgument(SpaceRules rules, Node n, String attr, int input) {
        long[] a = n.attributes().getInts(attr, null);
        if (a != null) return a;
        return n.inputs().size() > input && !n.input(input).isEmpty() ? rules.intValues(n.input(input)) : null;
    }

    static boolean hasArgument(Node n, String attr, int input) {
        return n.attributes().has(attr) || n.inputs().size() > input && !n.input(input).isEmpty();
    }
}
