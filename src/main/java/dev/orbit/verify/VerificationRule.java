package dev.orbit.verify;

/**
 * When a candidate's outputs count as the reference's. Sealed so every verifier handles every rule; today the one
 * rule is a fixed {@link Tolerance}. A rule relative to float32's own noise (the candidate's error against a float64
 * reference of the original, measured as a multiple of the original's own float32 error) joins as another
 * permitted record without changing any {@code verify} signature.
 */
public sealed interface VerificationRule permits Tolerance {
    /** True when a finished comparison satisfies this rule: within the rule, and no engine produced NaN or infinity. */
    default boolean accepts(VerifyReport report) {
        return report.passedAndFinite();
    }
}
