package dev.orbit.verify;

/**
 * A move passes when, per output, its float32 error against the original evaluated in float64 is at most
 * {@code factor} × the unmoved float32 model's own error against that reference, plus {@code floor}. Errors are
 * {@link OutputComparison}'s max relative error (ε = the reference output's scale). The bar is the original's own
 * float32 noise, so a model whose float32 evaluation is already far from exact (deep, badly conditioned, huge
 * statistics) is not failed for noise it had before the move. docs/VERIFICATION.md says why k and the floor are what
 * they are, and what bf16/int8 weights and function-changing moves are held to.
 */
public record NoiseRule(double factor, double floor) implements VerificationRule {
    /**
     * Moves of float32 models. k = 16: a move's factors (inter r = 0.9: |τ| down to 0.1) and its matrices (condition
     * 10) re-round every weight and reorder sums, which multiplies float32 rounding by a small factor; the zoo's
     * worst measured ratio is recorded in docs/ZOO.md. floor = 1e-6 (≈ 16 float32 ulps of the output's scale): for an
     * output float32 reproduces almost exactly (own error near 0) the ratio alone would demand the impossible.
     */
    public static final NoiseRule MOVE = new NoiseRule(16, 1e-6);

    public NoiseRule {
        if (!(factor >= 1) || !Double.isFinite(factor)) throw new IllegalArgumentException("the noise factor k must be a finite number ≥ 1, got " + factor);
        if (!(floor >= 0) || !Double.isFinite(floor)) throw new IllegalArgumentException("the noise floor must be a finite non-negative number, got " + floor);
    }

    /** The largest error a moved output may have, given the original's own error on it. */
    public double allowed(double ownError) { return factor * ownError + floor; }
}
