package dev.orbit.symmetry;

/**
 * An element of a model's symmetry group, of any kind Orbit moves models by:
 * <ul>
 * <li>{@link GroupElement}: permutations and scalings of neuron spaces, and matrix parts (GL(d) on attention pairs,
 *     per-head scalings, residual-stream rotations);</li>
 * <li>{@link IsometryElement}: isometries of the line, of H² (PSL(2,R)) and of Hⁿ (O⁺(n,1)) on length-product
 *     layers;</li>
 * <li>{@link GaugeElement}: an ODE gauge, acting on a vector field and on its unrolled Euler model.</li>
 * </ul>
 * One action ({@link OrbitAction#apply(dev.orbit.graph.Model, SymmetryAnalysis, SymmetryElement)}), one file format
 * ({@link ElementFile}, {@code orbit-element/3}), one {@link #compose}/{@link #inverse}. The analysis argument is
 * what the neuron-space kinds are indexed by; the other kinds ignore it.
 */
public sealed interface SymmetryElement permits GroupElement, IsometryElement, GaugeElement {
    /** The inverse: acting with it after this element restores the model. */
    SymmetryElement inverse(SymmetryAnalysis a);

    /** This element after {@code first} (apply first, then this); both must be of the same kind. */
    default SymmetryElement compose(SymmetryElement first, SymmetryAnalysis a) {
        return switch (this) {
            case GroupElement g when first instanceof GroupElement f -> g.after(f, a);
            case IsometryElement g when first instanceof IsometryElement f -> g.after(f);
            case GaugeElement g when first instanceof GaugeElement f -> g.after(f);
            default -> throw new IllegalArgumentException("cannot compose " + kind(this) + " with " + kind(first));
        };
    }

    /** The kind's name in messages and files: "neuron-space", "isometry" or "gauge". */
    static String kind(SymmetryElement e) {
        return switch (e) {
            case GroupElement g -> "a neuron-space element";
            case IsometryElement i -> "an isometry element";
            case GaugeElement g -> "a gauge element";
        };
    }
}
