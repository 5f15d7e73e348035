package dev.orbit.symmetry;

/** Which diagonal scalings a neuron space admits. */
public enum Scaling {
    /** Fixed: no scaling preserves the function here. */
    NONE,
    /** Only positive factors (e.g. after MaxPool, where a negative factor would turn max into min). */
    POSITIVE,
    /** Any non-zero factor; activations that do not commute with it are rewritten as τ·σ(x/τ). */
    NONZERO
}
