package dev.orbit.verify;

import java.util.List;

/**
 * The outcome of running two models (or Orbit and ONNX Runtime on one model) on the same inputs. Field
 * names are the stable JSON names ({@code max_abs_error}, {@code max_rel_error}, {@code argmax_agreement}).
 * Under a {@link NoiseRule} the reference is the original in float64, {@code outputs} compare the candidate with
 * it, {@code noise} holds each output's own and moved error, and {@code tolerance} is the largest bound allowed.
 */
public record VerifyReport(String reference, String candidate, String inputs, long samples, double tolerance,
                           String epsilonRule, List<OutputComparison> outputs, boolean passed, List<NoiseCheck> noise, String rule) {
    public static final String SCALE_RULE = "epsilon = max |reference output| (the output's scale)";

    public VerifyReport {
        noise = List.copyOf(noise);
    }

    /** A report under a fixed tolerance. */
    public VerifyReport(String reference, String candidate, String inputs, long samples, double tolerance,
                        String epsilonRule, List<OutputComparison> outputs, boolean passed) {
        this(reference, candidate, inputs, samples, tolerance, epsilonRule, outputs, passed, List.of(),
                String.format("max relative error <= %.1e", tolerance));
    }

    /** The worst moved-error / own-error ratio over the outputs (NaN when not judged by the noise rule). */
    public double worstNoiseRatio() {
        return noise.stream().mapToDouble(NoiseCheck::ratio).max().orElse(Double.NaN);
    }

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
        if (!noise.isEmpty()) {
            b.append(String.format("%-20s %14s %14s %10s %14s  %s%n", "output", "own_error", "moved_error", "ratio", "allowed", "verdict"));
            for (NoiseCheck c : noise) {
                b.append(String.format("%-20s %14.3e %14.3e %10.2f %14.3e  %s%s%n", c.output(), c.ownError(), c.movedError(), c.ratio(),
                        c.allowed(), c.passed() ? "pass" : "FAIL", c.degenerate().isEmpty() ? "" : " (near-degenerate: " + c.degenerate() + ")"));
            }
            b.append(String.format("%s: %s%n", passed ? "PASS" : "FAIL", rule));
            b.append("own_error: the original in float32 (onnxruntime) against the original in float64 (orbit evaluator); "
                    + "moved_error: the moved model in float32 (onnxruntime) against the same float64 reference\n");
        } else {
            b.append(String.format("%s: max relative error %.3e %s tolerance %.1e%n",
                    passed ? "PASS" : "FAIL", worstRelError(), passed ? "≤" : ">", tolerance));
        }
        b.append("relative error = |a-b|/(|a|+|b|+ε), ").append(epsilonRule).append('\n');
        return b.toString();
    }
}
