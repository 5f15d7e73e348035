package dev.orbit.verify;

import java.util.List;

/**
 * The outcome of running two models (or Orbit and ONNX Runtime on one model) on the same inputs. Field
 * names are the stable JSON names ({@code max_abs_error}, {@code max_rel_error}, {@code argmax_agreement}).
 */
public record VerifyReport(String reference, String candidate, String inputs, long samples, double tolerance,
                           String epsilonRule, List<OutputComparison> outputs, boolean passed) {
    public static final String SCALE_RULE = "epsilon = max |reference output| (the output's scale)";

    public double worstRelError() {
        return outputs.stream().mapToDouble(OutputComparison::maxRelError).max().orElse(0);
    }

    public double worstAbsError() {
        return outputs.stream().mapToDouble(OutputComparison::maxAbsError).max().orElse(0);
    }

    /** True when an engine produced NaN or infinity where the other did not, or both did. */
    public boolean hasNonFinite() {
        return outputs.stream().anyMatch(o -> o.nonFiniteA() > 0 || o.nonFiniteB() > 0);
    }
}
