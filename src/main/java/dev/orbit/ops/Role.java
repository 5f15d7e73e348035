package dev.orbit.ops;

/** How a parameter axis transforms when its neuron space moves by (permutation P, scaling τ). */
public enum Role {
    /** Output side of a linear map (rows of W, biases, BatchNorm shift and mean): permuted, multiplied by τ. */
    COVARIANT,
    /** Input side of a linear map (columns of W): permuted, divided by τ. */
    CONTRAVARIANT,
    /** Per-channel constants of an op that commutes with scaling (BatchNorm gain and variance, a PRelu slope,
     *  a multiplier): permuted only. */
    PERMUTE_ONLY
}
