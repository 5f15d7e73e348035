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
            // a gate: both share the permutation, the gate keeps its scale, the gated value's factor moves into the product
            Boolean bIsGate = gateIsSecond(rules, a, b);
            Layout main = Boolean.FALSE.equals(bIsGate) ? lb : la;
            Layout gate = Boolean.FALSE.equals(bIsGate) ? la : lb;
            if (main.axis() != gate.axis() || main.segments().size() != gate.segments().size()
                    || main.length() != gate.length()) {
                rules.freezeInputs(n, label(n) + ": multiplies tensors whose channels do not line up");
                return;
            }
            rules.linkPerm(main, gate);
            rules.forbidScaling(gate, label(n) + ": a multiplicative gate must keep its scale");
            if (bIsGate == null) rules.forbidScaling(main, label(n) + ": product of two neuron spaces, neither of them a gate");
            rules.setLayout(n.output(0), main);
            return;
        }
        Layout l = la != null ? la : lb;
        if (l == null) return;
        String other = la != null ? b : a;
        if (!rules.isParam(other)) {
            // (τx)·f = τ(x·f) for any f; permutations pass only if f is the same for every channel
            if (!rules.sameForEveryChannel(other, n.output(0), l)) rules.forbidPermutation(l, label(n) + ": multiplies by a fixed tensor that differs between channels");
            rules.setLayout(n.output(0), l);
            return;
        }
        if (rules.perChannelOrScalar(n, la != null ? a : b, other, l, Role.PERMUTE_ONLY)) rules.setLayout(n.output(0), l);
    }

    /**
     * Which operand of x·g is the gate: the one broadcast over more positions (squeeze-excitation), else the one
     * computed from the other (squeeze-excitation at 1×1 spatial size), else the one that went through a non-linearity
     * while the other is linear (SwiGLU: silu(W₁x)·W₃x). True: the second; false: the first; null: undecided.
     */
    private static Boolean gateIsSecond(SpaceRules rules, String a, String b) {
        int ba = rules.broadcastCount(a);
        int bb = rules.broadcastCount(b);
        if (ba != bb) return bb > ba;
        boolean aFromB = rules.dependsOn(a, b);
        boolean bFromA = rules.dependsOn(b, a);
        if (aFromB != bFromA) return bFromA;
        boolean actA = rules.isActivation(a);
        boolean actB = rules.isActivation(b);
        if (actA != actB) return actB;
        return null;
    }
}
