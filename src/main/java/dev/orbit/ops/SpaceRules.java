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

    /**
     * Every dimension of a value, or null when one is unknown. A dynamic batch is set to a probe size (7), so rules
     * can compare how a reshape regroups axes; the probe size never decides a group.
     */
    long[] shape(String value);

    /**
     * The integers a value holds when they are known before running the model: an integer parameter, or shape
     * arithmetic folded by shape inference (Shape → Gather → Concat …). Null otherwise.
     */
    long[] intValues(String value);

    /**
     * Where a constant value's {@code axis} comes from: the parameter axis it re-indexes when the value is that
     * parameter moved only along other axes (Slice, Gather, Expand, Unsqueeze, Reshape and Transpose that keep
     * the axis whole, Cast, Identity) — e.g. a position-embedding table sliced to the sequence length, a class
     * token expanded over the batch. Null when the value depends on anything else or the axis is mixed.
     */
    ParamAxis constantAxis(String value, int axis);

    /** Whether {@code value} is computed from {@code ancestor} (directly or through other nodes). */
    boolean dependsOn(String value, String ancestor);

    /** Whether {@code value} is produced by a member of an activation region (it went through a non-linearity). */
    boolean isActivation(String value);

    /** How many axes of a value are known to be 1 (broadcast). */
    int broadcastCount(String value);

    /** Whether two layouts hold the same (merged) spaces segment by segment. */
    boolean sameSpaces(Layout a, Layout b);

    long opset();

    // ---- building ----

    /** A new neuron space of {@code size} channels, created by {@code origin}. */
    int newSpace(long size, String origin);

    /**
     * New spaces that share the permutation of a layout's spaces but keep their own factors (a norm's post-gain
     * part, a diagonal linear map): one per segment, or one over all segments when they are one space repeated
     * (its permutation then repeats on each copy). Returns their layout, on the same axis.
     */
    Layout linkedCopy(Layout layout, String origin);

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

    /**
     * A normalisation over the channel axis (LayerNorm, RMSNorm, InstanceNorm, single op or decomposed): the
     * space before it admits permutations only (a common factor is not exact because ε is fixed; the statistics
     * are permutation-invariant); the normalised values times the gain are a new space sharing that permutation,
     * its factors carried by the gain and bias (covariant). Without a gain nothing absorbs a factor there.
     */
    default void normalization(String label, String x, String out, String gain, String bias, int normalizedAxis) {
        Layout l = layout(x);
        if (l == null) return;
        if (l.axis() != normalizedAxis) {
            freeze(x, label + " normalises axis " + normalizedAxis + ", not the channel axis " + l.axis());
            return;
        }
        for (Segment s : l.segments()) {
            if (s.repeat() != 1) {
                freeze(x, label + ": normalises channels flattened with other positions");
                return;
            }
        }
        forbidScaling(l, "read by " + label + ": only permutations pass a norm (epsilon is fixed, so no common scale is exact)");
        Layout post = linkedCopy(l, label + " output (after the gain)");
        boolean affine = true;
        for (String p : new String[] {gain, bias}) {
            if (p == null || p.isEmpty()) continue;
            if (!isParam(p)) {
                forbidScaling(post, label + ": its gain or bias is computed, not constant");
                affine = false;
                continue;
            }
            NdArray k = parameter(p);
            int axis = k.rank() - 1;
            for (int i = 0; i < k.rank(); i++) if (k.dim(i) == l.length() && k.size() == l.length()) axis = i;
            if (k.size() == l.length()) touchLayout(post, p, axis, Role.COVARIANT);
            else if (k.size() != 1) {
                freeze(x, label + ": gain or bias does not line up with the channels");
                return;
            }
        }
        if (gain == null || gain.isEmpty() || !isParam(gain) || parameter(gain).size() != l.length()) {
            if (affine) forbidScaling(post, label + " has no per-channel gain: nothing absorbs a factor of its normalised output");
        }
        setLayout(out, post);
    }

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

    /**
     * Whether a tensor combined elementwise with a value whose channels lie on {@code l}'s axis is the same for every
     * channel (it broadcasts along the channel axis). False when unknown.
     */
    default boolean sameForEveryChannel(String tensor, String result, Layout l) {
        int ro = rank(result);
        int rt = rank(tensor);
        if (ro < 0 || rt < 0) return false;
        int aligned = l.axis() - (ro - rt);
        return aligned < 0 || dim(tensor, aligned) == 1;
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
        if (k.size() == 1) return true; // a scalar lines up with any rank
        if (rank(x) < 0) {
            freezeInputs(n, label(n) + ": the rank of its input is unknown, so a constant cannot be lined up with the channels");
            return false;
        }
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
