package dev.orbit.symmetry;

import java.util.List;

/**
 * One attention: scores from the query–key pair {@code queryKey} go through {@code score} and multiply the values.
 * Per head, scaling q, k, v by α_q, α_k, α_v is exact when α_q·α_k = 1 (any score function) or α_q·α_k > 0
 * ({@code positivelyHomogeneous}: ReLU and constant factors only, f(cs) = c·f(s)); the output projection rows
 * {@code output} absorb 1/(α_q·α_k·α_v), or, without them, the product must be 1.
 */
public record AttentionBlock(int id, int queryKey, int valueOutput, Score score, boolean positivelyHomogeneous,
                             int heads, int headDim, List<BlockTouch> query, List<BlockTouch> key,
                             List<BlockTouch> value, List<BlockTouch> output, String origin) {
    public enum Score { SOFTMAX, RELU, LINEAR, OTHER }

    public AttentionBlock {
        query = List.copyOf(query);
        key = List.copyOf(key);
        value = List.copyOf(value);
        output = List.copyOf(output);
    }
}
