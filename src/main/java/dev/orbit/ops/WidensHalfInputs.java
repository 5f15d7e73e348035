package dev.orbit.ops;

/**
 * An op that widens some of its float16/bfloat16 inputs to float32 itself, a block at a time, instead of letting the
 * evaluator's half policy (docs/DTYPES.md) make a float32 copy of each whole tensor. The op still computes in float32
 * and may return float32 results, which the policy rounds back to the half type as for any op. Such an input
 * reaches the op in its half type only under the policy; an op must also accept it widened (or float32 throughout).
 */
public interface WidensHalfInputs {
    /** Whether the half policy hands input {@code i} over unwidened. */
    boolean widensItself(int i);
}
