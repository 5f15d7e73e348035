package dev.orbit.verify;

/**
 * A fixed bound on the largest relative output error, |a−b| / (|a|+|b|+ε) with ε = the reference output's scale
 * ({@link OutputComparison}). The library's bounds are constants here, so the command line and Java callers hold
 * moves, evaluator checks and exports to the same numbers.
 */
public record Tolerance(double maxRelativeError) implements VerificationRule {
    /**
     * Moves of float32 models: factors far from 1 amplify float32 rounding (summation order, fused multiply-add), so
     * a moved model is held to 1e-4 relative, a few hundred times float32's unit roundoff at the output's scale.
     */
    public static final Tolerance MOVE = new Tolerance(1e-4);

    /** Orbit's evaluator against ONNX Runtime on one float32 model: the same arithmetic in another order. */
    public static final Tolerance EVALUATOR = new Tolerance(1e-5);

    /**
     * Export round trips: the exporter writes every parameter's bytes unchanged, so the outputs must be identical
     * (relative error 0, which is absolute error 0).
     */
    public static final Tolerance EXPORT = new Tolerance(0);

    public Tolerance {
        if (!(maxRelativeError >= 0)) throw new IllegalArgumentException("a tolerance must be a non-negative number, got " + maxRelativeError);
    }
}
