package dev.orbit.symmetry;

import java.util.List;

/**
 * Two linear maps with nothing non-linear between them, split into heads: per head an invertible A acts as
 * {@code left → left·A} and {@code right → right·A⁻ᵀ}. QUERY_KEY: left = query columns, right = key columns
 * (q·kᵀ is unchanged). VALUE_OUTPUT: left = value columns, right = rows of the output projection
 * (P·v·A·A⁻¹·W_o = P·v·W_o for any attention weights P).
 *
 * <p>With grouped-query attention {@code kvHeads} &lt; {@code heads}: one matrix per key/value head, shared by the
 * {@code heads/kvHeads} query heads that read it (query head h uses matrix h / (heads/kvHeads)); the query side
 * (QUERY_KEY's left, VALUE_OUTPUT's right) has {@code heads} blocks, the key/value side {@code kvHeads}.
 * {@code group}: GL (any invertible A), or ROPE_COMMUTANT when rotary embeddings rotate q and k between the
 * projections and their product: only maps that commute with every position's rotation keep q·kᵀ — with the
 * rotate-half pairing of channel i and i + d/2, A = a·I + b·J on each such pair (2 real dimensions per pair).
 */
public record LinearPair(int id, Kind kind, int heads, int kvHeads, int headDim, Group group, List<BlockTouch> left,
                         List<BlockTouch> right, String origin) {
    public enum Kind { QUERY_KEY, VALUE_OUTPUT }

    public enum Group { GL, ROPE_COMMUTANT }

    public LinearPair {
        left = List.copyOf(left);
        right = List.copyOf(right);
        if (kvHeads < 1 || heads % kvHeads != 0) throw new IllegalArgumentException("heads " + heads + " not a multiple of key/value heads " + kvHeads);
    }

    /** The number of matrices (one per key/value head). */
    public int blocks() { return kvHeads; }

    /** The dimension of the group acting on the pair. */
    public long dimension() { return (long) kvHeads * (group == Group.ROPE_COMMUTANT ? headDim : (long) headDim * headDim); }

    /** Whether a side of the pair is indexed by query heads (else by key/value heads). */
    public boolean queryIndexed(boolean leftSide) { return leftSide == (kind == Kind.QUERY_KEY); }
}
