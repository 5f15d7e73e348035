package dev.orbit.symmetry;

import java.util.List;

/**
 * Two linear maps with nothing non-linear between them, split into heads: per head an invertible A acts as
 * {@code left → left·A} and {@code right → right·A⁻ᵀ}. QUERY_KEY: left = query columns, right = key columns
 * (q·kᵀ is unchanged). VALUE_OUTPUT: left = value columns, right = rows of the output projection
 * (P·v·A·A⁻¹·W_o = P·v·W_o for any attention weights P).
 */
public record LinearPair(int id, Kind kind, int heads, int headDim, List<BlockTouch> left, List<BlockTouch> right,
                         String origin) {
    public enum Kind { QUERY_KEY, VALUE_OUTPUT }

    public LinearPair {
        left = List.copyOf(left);
        right = List.copyOf(right);
    }
}
