package dev.orbit.verify;

/**
 * When a candidate's outputs count as the reference's. Sealed so every verifier handles every rule: a fixed
 * {@link Tolerance}, or the {@link NoiseRule} (the candidate's error against a float64 reference of the original,
 * held to a multiple of the original's own float32 error; the default for moves, docs/VERIFICATION.md).
 */
public sealed interface VerificationRule permits Tolerance, NoiseRule {
    /** True when a finished comparison satisfies this rule: within the rule, and no engine produced NaN or infinity. */
    default boolean accepts(VerifyReport report) {
        return report.passedAndFinite();
    }
}
