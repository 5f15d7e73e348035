package dev.orbit.symmetry;

/**
 * The matrix kinds of group element, next to the diagonal ones (permutations and scalings): each acts on one
 * structure the analysis found and composes and inverts within its kind.
 */
public sealed interface MatrixPart permits PairTransform, HeadScaling, StreamRotation {
    /** The structure it acts on, e.g. "pair:3" (unique within an element). */
    String target();

    /** This part after {@code first} (same target): apply first, then this. */
    MatrixPart after(MatrixPart first);

    MatrixPart inverse();

    /**
     * The part seen through a permutation applied after it: head (or stream channel) j of the result is {@code p[j]}
     * of this part's (blocks re-indexed, a stream matrix conjugated). Permutations act on the same parameter axes
     * as matrices (whole heads, stream channels), so composing and inverting elements moves the matrices along.
     */
    MatrixPart reindexed(int[] p);

    /** Throws IllegalArgumentException when the part does not fit the model's analysis. */
    void validate(SymmetryAnalysis a);
}
