package dev.orbit.train;

/**
 * Where the orbit optimiser may go from its starting point: every neuron's scale factor within
 * [e^−maxLogScale, e^maxLogScale], every attention-pair matrix with condition number ≤ {@code maxCondition}
 * (rotations are always within: condition 1). Gradient-norm ascent is unbounded on most orbits (a uniformly scaled
 * layer pair sent to infinity), so the region is what keeps a teleport finite and its float32 error small.
 */
public record TrustRegion(double maxLogScale, double maxCondition) {
    /** Factors within [1/4, 4] (ln 4 ≈ 1.386) and matrices with condition number ≤ 10. */
    public static final TrustRegion DEFAULT = new TrustRegion(Math.log(4), 10);

    public TrustRegion {
        if (!(maxLogScale > 0) || !Double.isFinite(maxLogScale)) throw new IllegalArgumentException("the log-scale bound must be positive, got " + maxLogScale);
        if (!(maxCondition >= 1) || !Double.isFinite(maxCondition)) throw new IllegalArgumentException("the condition-number bound must be ≥ 1, got " + maxCondition);
    }

    /** Factors within [1/f, f]. */
    public static TrustRegion factor(double f) {
        if (!(f > 1)) throw new IllegalArgumentException("the factor bound must be > 1, got " + f);
        return new TrustRegion(Math.log(f), DEFAULT.maxCondition);
    }

    public TrustRegion withCondition(double kappa) { return new TrustRegion(maxLogScale, kappa); }
}
