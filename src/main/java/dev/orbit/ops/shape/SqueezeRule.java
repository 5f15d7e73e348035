package dev.orbit.ops.shape;

import static dev.orbit.ops.SpaceRules.label;

import dev.orbit.graph.Node;
import dev.orbit.ops.Layout;
import dev.orbit.ops.SpaceRules;

/** The symmetry rule of Squeeze and Unsqueeze: the channel axis shifts with the removed or inserted axes. */
final class SqueezeRule {
    private SqueezeRule() {}

    static void apply(SpaceRules rules, Node n) {
        Layout l = rules.layout(n.input(0));
        if (l == null) return;
        long[] axes = n.attributes().getInts("axes", null);
        if (axes == null && rules.isParam(n.input(1))) axes = rules.parameter(n.input(1)).toLongArray();
        int rin = rules.rank(n.input(0));
        int rout = rules.rank(n.output(0));
        if (axes == null || rin < 0 || rout < 0) {
            rules.freeze(n.input(0), label(n) + ": axes unknown");
            return;
        }
        boolean squeeze = n.opType().equals("Squeeze");
        int r = squeeze ? rin : rout;
        int axis = l.axis();
        int shift = 0;
        for (long a : axes) {
            long na = a < 0 ? a + r : a;
            if (squeeze && na == axis) {
                rules.freeze(n.input(0), label(n) + ": removes the channel axis");
                return;
            }
            if (squeeze && na < axis) shift--;
        }
        if (!squeeze) {
            // positions in the output: count inserted axes at or before the (moving) channel position
            java.util.TreeSet<Long> sorted = new java.util.TreeSet<>();
            for (long a : axes) sorted.add(a < 0 ? a + r : a);
            int pos = axis;
            for (long a : sorted) if (a <= pos) pos++;
            shift = pos - axis;
        }
        rules.setLayout(n.output(0), l.withAxis(axis + shift));
    }
}
