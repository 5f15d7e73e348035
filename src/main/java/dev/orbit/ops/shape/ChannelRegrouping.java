package dev.orbit.ops.shape;

import static dev.orbit.ops.SpaceRules.label;

import java.util.ArrayList;
import java.util.List;

import dev.orbit.graph.Node;
import dev.orbit.ops.Layout;
import dev.orbit.ops.Segment;
import dev.orbit.ops.SpaceRules;

/**
 * How a reshape (Reshape, Flatten) moves a channel axis, from the two shapes: the axis survives whole (other axes
 * regrouped around it: a spatial flatten, NHWC token reshapes, windows), merges with the axes after it (each channel
 * then spans its positions: [N, C, H, W] → [N, C·H·W]), or is recovered from such a merge. Splitting the channels
 * into groups freezes them (attention heads are the attention analysis' business).
 */
final class ChannelRegrouping {
    private ChannelRegrouping() {}

    static void apply(SpaceRules rules, Node n) {
        Layout l = rules.layout(n.input(0));
        if (l == null) return;
        long[] si = rules.shape(n.input(0));
        long[] so = rules.shape(n.output(0));
        if (si == null || so == null) {
            rules.freeze(n.input(0), label(n) + ": shapes unknown, so it is not known where the channels go");
            return;
        }
        int a = l.axis();
        long repeat = l.segments().getFirst().repeat();
        for (Segment s : l.segments()) if (s.repeat() != repeat) repeat = -1;
        long before = product(si, 0, a);
        long p = 1;
        for (int o = 0; o < so.length && p <= before; p *= so[o], o++) {
            if (p != before) continue;
            if (so[o] == si[a]) {
                rules.setLayout(n.output(0), l.withAxis(o));
                return;
            }
            if (so[o] > si[a] && so[o] % si[a] == 0 && endsAt(si, a + 1, so[o] / si[a])) {
                long inner = so[o] / si[a];
                List<Segment> segs = new ArrayList<>();
                for (Segment s : l.segments()) segs.add(new Segment(s.space(), s.size(), s.repeat() * inner));
                rules.setLayout(n.output(0), new Layout(o, segs));
                return;
            }
            if (repeat > 1 && so[o] * repeat == si[a] && endsAt(so, o + 1, repeat)) {
                List<Segment> segs = new ArrayList<>();
                for (Segment s : l.segments()) segs.add(new Segment(s.space(), s.size(), 1));
                rules.setLayout(n.output(0), new Layout(o, segs));
                return;
            }
        }
        rules.freeze(n.input(0), label(n) + ": reshape does not keep channels whole (it splits them into groups or mixes them "
                + "with other axes)");
    }

    /** Whether consecutive axes from {@code from} multiply to exactly {@code want}. */
    private static boolean endsAt(long[] s, int from, long want) {
        long p = 1;
        for (int i = from; i < s.length && p < want; i++) p *= s[i];
        return p == want;
    }

    private static long product(long[] s, int from, int to) {
        long p = 1;
        for (int i = from; i < to; i++) p *= s[i];
        return p;
    }
}
