package dev.orbit.ops.arithmetic;

import static dev.orbit.ops.SpaceRules.label;

import dev.orbit.graph.Node;
import dev.orbit.ops.Layout;
import dev.orbit.ops.ParamAxis;
import dev.orbit.ops.Role;
import dev.orbit.ops.SpaceRules;
import dev.orbit.tensor.NdArray;

/** The symmetry rule Add and Sub share: sums merge spaces; a per-channel constant moves with them. */
final class AddSubRule {
    private AddSubRule() {}

    static void apply(SpaceRules rules, Node n) {
        String a = n.input(0);
        String b = n.input(1);
        Layout la = rules.layout(a);
        Layout lb = rules.layout(b);
        if (la != null && lb != null) {
            if (!rules.mergeLayouts(la, lb)) {
                rules.freezeInputs(n, label(n) + ": adds tensors whose channels do not line up");
                return;
            }
            rules.setLayout(n.output(0), la);
            return;
        }
        Layout l = la != null ? la : lb;
        String other = la != null ? b : a;
        if (l == null) return;
        if (!rules.isParam(other)) {
            // a constant computed from one parameter along other axes (a position table sliced to the sequence)
            int ro = rules.rank(n.output(0));
            int rc = rules.rank(other);
            int aligned = ro < 0 || rc < 0 ? -1 : l.axis() - (ro - rc);
            ParamAxis source = aligned < 0 ? null : rules.constantAxis(other, aligned);
            if (source != null && rules.dim(other, aligned) == l.length() && rules.parameter(source.parameter()).dim(source.axis()) == l.length()) {
                rules.touchLayout(l, source.parameter(), source.axis(), Role.COVARIANT);
            } else if (rules.sameForEveryChannel(other, n.output(0), l)) {
                rules.forbidScaling(l, label(n) + ": adds a fixed tensor"); // x + f: permutations pass, a factor does not
            } else {
                rules.freezeInputs(n, label(n) + ": adds a fixed tensor that differs between channels");
                return;
            }
            rules.setLayout(n.output(0), l);
            return;
        }
        NdArray k = rules.parameter(other);
        int rx = rules.rank(la != null ? a : b);
        if (rx < 0 && k.size() > 1) {
            // which of the constant's axes meets the channels cannot be told without the other input's rank
            rules.freezeInputs(n, label(n) + ": adds a constant tensor to a value of unknown rank");
            return;
        }
        int r = Math.max(rx, k.rank());
        int aligned = l.axis() - (r - k.rank());
        if (aligned >= 0 && aligned < k.rank() && k.dim(aligned) == l.length()) {
            rules.touchLayout(l, other, aligned, Role.COVARIANT); // x + c → τx + τc
            rules.setLayout(n.output(0), l);
        } else {
            rules.region(n, false); // x + shared constant: affine, rewritten like an activation
        }
    }
}
