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

    /** The library's acceptance rule: within the tolerance, and no NaN or infinity from either engine. */
    public boolean passedAndFinite() {
        return passed && !hasNonFinite();
    }

    /** The comparison as a terminal table: one row per output, then the verdict and the error definition. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append("reference   ").append(reference).append('\n');
        b.append("candidate   ").append(candidate).append('\n');
        b.append("inputs      ").append(inputs).append('\n');
        b.append(String.format("%-20s %-16s %14s %14s %10s%n", "output", "shape", "max_abs_error", "max_rel_error", "argmax"));
        for (OutputComparison o : outputs) {
            b.append(String.format("%-20s %-16s %14.3e %14.3e %9.2f%%%n", o.name(), java.util.Arrays.toString(o.shape()),
                    o.maxAbsError(), o.maxRelError(), 100 * o.argmaxAgreement()));
        }
        b.append(String.format("%s: max relative error %.3e %s tolerance %.1e%n",
                passed ? "PASS" : "FAIL", worstRelError(), passed ? "≤" : ">", tolerance));
        b.append("relative error = |a-b|/(|a|+|b|+ε), ").append(epsilonRule).append('\n');
        return b.toString();
    }
}
