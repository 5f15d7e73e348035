package dev.orbit.ops.arithmetic;

import static dev.orbit.ops.SpaceRules.label;

import dev.orbit.graph.Node;
import dev.orbit.ops.Layout;
import dev.orbit.ops.SpaceRules;
import dev.orbit.tensor.NdArray;

/**
 * The symmetry rule of an elementwise op that combines one neuron space with constants (Max/Min with scalar or
 * per-channel bounds, Where with a constant mask): a member of an activation region, rewritten τ·f(x/τ), which is
 * exact for any non-zero factor because the constants stay where they are. Per-channel parameters permute with the
 * channels; a fixed tensor computed at run time must not depend on the moved values and must be the same for every
 * channel (nothing could permute it). Positively homogeneous (no rewrite for positive factors) only when every
 * constant is zero: max(τx, 0) = τ·max(x, 0) for τ > 0.
 */
public final class ElementwiseWithConstants {
    private ElementwiseWithConstants() {}

    /** {@code selectors}: inputs that only select (Where's condition): their values never pass to the output. */
    public static void rule(Node n, SpaceRules rules, int... selectors) {
        Layout l = null;
        String entry = null;
        for (String in : n.inputs()) {
            Layout li = in.isEmpty() ? null : rules.layout(in);
            if (li == null) continue;
            if (l == null) {
                l = li;
                entry = in;
            } else if (!rules.sameSpaces(l, li)) {
                rules.freezeInputs(n, label(n) + ": combines different neuron spaces elementwise");
                return;
            }
        }
        if (l == null) return;
        boolean zeros = true;
        for (int i = 0; i < n.inputs().size(); i++) {
            String in = n.input(i);
            if (in.isEmpty() || rules.layout(in) != null) continue;
            boolean selector = contains(selectors, i);
            if (rules.isParam(in)) {
                if (!selector) zeros &= allZero(rules.parameter(in));
                if (selector && !rules.sameForEveryChannel(in, n.output(0), l)) {
                    rules.freezeInputs(n, label(n) + ": a constant selection that differs between channels");
                    return;
                }
                continue;
            }
            if (rules.dependsOn(in, entry)) {
                rules.freezeInputs(n, label(n) + ": an operand computed from the moved values themselves is not a constant");
                return;
            }
            if (!rules.sameForEveryChannel(in, n.output(0), l)) {
                rules.freezeInputs(n, label(n) + ": a fixed operand computed at run time differs between channels, so nothing could permute it");
                return;
            }
            if (!selector) zeros = false;
        }
        rules.region(n, zeros);
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) if (x == v) return true;
        return false;
    }

    private static boolean allZero(NdArray k) {
        for (long i = 0; i < k.size(); i++) if (k.getAsDouble(i) != 0) return false;
        return true;
    }
}
