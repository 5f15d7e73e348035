package dev.orbit.cli;

import dev.orbit.verify.OutputComparison;
import dev.orbit.verify.VerifyReport;

/** Plain-text rendering of reports for the terminal. */
final class ReportText {
    private ReportText() {}

    static String verify(VerifyReport r) {
        StringBuilder b = new StringBuilder();
        b.append("reference   ").append(r.reference()).append('\n');
        b.append("candidate   ").append(r.candidate()).append('\n');
        b.append("inputs      ").append(r.inputs()).append('\n');
        b.append(String.format("%-20s %-16s %14s %14s %10s%n", "output", "shape", "max_abs_error", "max_rel_error", "argmax"));
        for (OutputComparison o : r.outputs()) {
            b.append(String.format("%-20s %-16s %14.3e %14.3e %9.2f%%%n", o.name(), java.util.Arrays.toString(o.shape()),
                    o.maxAbsError(), o.maxRelError(), 100 * o.argmaxAgreement()));
        }
        b.append(String.format("%s: max relative error %.3e %s tolerance %.1e%n",
                r.passed() ? "PASS" : "FAIL", r.worstRelError(), r.passed() ? "≤" : ">", r.tolerance()));
        b.append("relative error = |a-b|/(|a|+|b|+ε), ").append(r.epsilonRule()).append('\n');
        return b.toString();
    }
}
