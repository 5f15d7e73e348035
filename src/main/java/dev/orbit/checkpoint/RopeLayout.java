package dev.orbit.checkpoint;

/**
 * Which head dimensions rotary embeddings rotate together. Hugging Face checkpoints pair dimension k with k + hd/2
 * ({@code rotate_half}); Meta's original and GPT-J pair 2k with 2k + 1. HF's conversion script permutes the q/k
 * rows from the second layout to the first, so applying the wrong one to a checkpoint changes the function
 * (every position but the first) while leaving position 0 untouched.
 */
public enum RopeLayout {
    /** Pairs (k, k + hd/2): Hugging Face LLaMA, Mistral, Qwen. */
    HALF_SPLIT,
    /** Pairs (2k, 2k + 1): Meta's original LLaMA files, GPT-J. */
    INTERLEAVED
}
