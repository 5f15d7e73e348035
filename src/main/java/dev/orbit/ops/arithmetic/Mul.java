package dev.orbit.ops.arithmetic;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.mul;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Node;
import dev.orbit.ops.Layout;
import dev.orbit.ops.Role;
import dev.orbit.ops.SpaceRules;

/**
 * Mul. Symmetry: a rewrite Mul of an earlier move belongs to its activation region; x·h(x) is part of a decomposed
 * activation; a product of two spaces where one is broadcast over more positions is a gate (shared permutation,
 * the gate keeps its scale); a per-channel constant is permuted.
 */
public final class Mul extends BinaryArithmeticOp {
    public Mul() { super("Mul"); }

    @Override
    Tensor apply(Tensor a, Tensor b) { return mul(a, b); }

    @Override
    Long fold(long a, long b) { return a * b; }

    @Override
    boolean keepsSymbol(Dim q) { return q.isKnown() && q.size() == 1; }

    @Override
    public void spaceRule(Node n, SpaceRules rules) {
        String a = n.input(0);
        String b = n.input(1);
        if (n.isRewrite() && rules.isParam(b) && rules.layout(a) != null) {
            rules.region(n, true); // an earlier teleport's τ·f(x/τ) wrapper belongs to its activation region
            return;
        }
        Layout la = rules.layout(a);
        Layout lb = rules.layout(b);
        if (la != null && lb != null) {
            if (rules.sameSpaces(la, lb) && rules.rank(a) == rules.rank(b) && rules.sameShape(a, b)) {
                rules.region(n, false); // x·h(x): part of a decomposed activation
                return;
            }
            // a gate: the operand broadcast over more positions keeps its scale, both share the permutation
            boolean bIsGate = rules.broadcastCount(b) >= rules.broadcastCount(a);
            Layout main = bIsGate ? la : lb;
            Layout gate = bIsGate ? lb : la;
            if (main.axis() != gate.axis() || main.segments().size() != gate.segments().size()
                    || main.length() != gate.length()) {
                rules.freezeInputs(n, label(n) + ": multiplies tensors whose channels do not line up");
                return;
            }
            rules.linkPerm(main, gate);
            rules.forbidScaling(gate, label(n) + ": a multiplicative gate must keep its scale");
            if (rules.sameShape(a, b)) rules.forbidScaling(main, label(n) + ": product of two neuron spaces");
            rules.setLayout(n.output(0), main);
            return;
        }
        Layout l = la != null ? la : lb;
        if (l == null) return;
        String other = la != null ? b : a;
        if (!rules.isParam(other)) {
            rules.forbidScaling(l, label(n) + ": multiplies by a fixed tensor");
            rules.setLayout(n.output(0), l);
            return;
        }
        if (rules.perChannelOrScalar(n, la != null ? a : b, other, l, Role.PERMUTE_ONLY)) rules.setLayout(n.output(0), l);
    }
}
