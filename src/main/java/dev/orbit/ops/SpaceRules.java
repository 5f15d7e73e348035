package dev.orbit.ops;

import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.tensor.NdArray;

/**
 * What an op's symmetry rule ({@code OpFamily.spaceRule}) may do to the space analysis: the primitives
 * {@link SpaceAnalyzer} implements over its union-find bookkeeping, so each op room states its rule without
 * seeing the analyzer's internals. Values are tensor names; a value with no neuron space has a null layout.
 */
public interface SpaceRules {
    // ---- looking up ----

    /** The layout of a value's channel axis, or null when no neuron space flows through it. */
    Layout layout(String value);

    boolean isParam(String value);

    NdArray parameter(String value);

    /** The inferred type of a value, or null when unknown. */
    ValueType type(String value);

    /** The rank of a value, or -1 when unknown. */
    int rank(String value);

    /** The size of one axis of a value, or -1 when unknown. */
    long dim(String value, int axis);

    /** Both shapes known and equal. */
    boolean sameShape(String a, String b);

    /** How many axes of a value are known to be 1 (broadcast). */
    int broadcastCount(String value);

    /** Whether two layouts hold the same (merged) spaces segment by segment. */
    boolean sameSpaces(Layout a, Layout b);

    long opset();

    // ---- building ----

    /** A new neuron space of {@code size} channels, created by {@code origin}. */
    int newSpace(long size, String origin);

    /** Gives a value's channel axis a layout. */
    void setLayout(String value, Layout layout);

    void touch(int space, String param, int axis, Role role, long offset, long repeat);

    /** Touches a parameter axis that lines up with a layout, segment by segment. */
    void touchLayout(Layout layout, String param, int axis, Role role);

    /** Merges two layouts segment by segment (same factors and permutation); false if their structures differ. */
    boolean mergeLayouts(Layout a, Layout b);

    /** The two layouts share their permutation, segment by segment, but keep their own factors. */
    void linkPerm(Layout a, Layout b);

    void linkPerm(int spaceA, int spaceB);

    /** Registers the node being visited as a member of an activation region (rewritten as τ·f(x/τ)). */
    void region(Node node, boolean positivelyHomogeneous);

    // ---- restricting (the first reason recorded for a space wins) ----

    void freeze(String value, String reason);

    void freezeSpace(int space, String reason);

    void forbidPermutation(int space, String reason);

    void forbidPermutation(Layout layout, String reason);

    void forbidScaling(Layout layout, String reason);

    void positiveScalingOnly(Layout layout, String reason);

    // ---- composite rules shared by several rooms ----

    static String label(Node n) { return n.opType() + " '" + n.label() + "'"; }

    default void freezeInputs(Node n, String reason) {
        for (String in : n.inputs()) freeze(in, reason);
    }

    /** The rule of an op the analysis does not understand: every input is frozen. */
    default void freezeUnknown(Node n) {
        if (!n.isStandardDomain()) {
            freezeInputs(n, "op " + n.domain() + "::" + n.opType() + " is unknown to the symmetry analysis");
        } else {
            freezeInputs(n, label(n) + " is not understood by the symmetry analysis");
        }
    }

    /** Output keeps the first input's layout unchanged. */
    default void pass(Node n) {
        Layout l = layout(n.input(0));
        if (l != null) setLayout(n.output(0), l);
    }

    /** A bias added along the output channels: per-channel → covariant; broadcast scalar → no scaling. */
    default void bias(Node n, String b, Layout out, int axis, int outRank) {
        if (b.isEmpty()) return;
        if (!isParam(b)) {
            forbidScaling(out, label(n) + ": bias is computed, not constant");
            return;
        }
        NdArray c = parameter(b);
        int aligned = axis - (outRank - c.rank());
        if (aligned >= 0 && aligned < c.rank() && c.dim(aligned) == out.length()) touchLayout(out, b, aligned, Role.COVARIANT);
        else if (c.size() != 0) forbidScaling(out, label(n) + ": bias is shared across channels");
    }

    /**
     * A constant operand of an elementwise op: per-channel along the channel axis → touched with {@code role};
     * constant along it → nothing to do. Anything else freezes. Returns false when it froze.
     */
    default boolean perChannelOrScalar(Node n, String x, String c, Layout l, Role role) {
        NdArray k = parameter(c);
        int r = Math.max(rank(x), k.rank());
        int aligned = l.axis() - (r - k.rank());
        if (aligned < 0) return true;
        // aligned beyond the constant's rank: the declared ranks contradict the channel axis (a malformed file)
        if (aligned < k.rank() && k.dim(aligned) == 1) return true;
        if (aligned < k.rank() && k.dim(aligned) == l.length()) {
            touchLayout(l, c, aligned, role);
            return true;
        }
        freezeInputs(n, label(n) + ": constant does not line up with the channels");
        return false;
    }
}
