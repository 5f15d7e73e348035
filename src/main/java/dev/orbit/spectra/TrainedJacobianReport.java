package dev.orbit.spectra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.orbit.report.Charts;
import dev.orbit.report.HtmlReport;

/** The report of {@link TrainedJacobianExperiment}. */
final class TrainedJacobianReport {
    private TrainedJacobianReport() {}

    static HtmlReport of(TrainedJacobianExperiment.Result r) {
        HtmlReport h = new HtmlReport("Jacobian spectrum of a trained model");
        h.heading("What was run");
        h.paragraph(String.format("Input-output Jacobian of %s at the first %d bundled test digits, by autograd through Orbit's "
                + "evaluator with every parameter in float64; J is %d×%d per digit, so each digit gives %d eigenvalues of JJᵀ.",
                r.model(), r.points(), r.outputs(), r.inputs(), r.outputs()));
        h.paragraph(r.architecture() == null ? "The model is not a plain Gemm MLP, so no freshly initialised twin was built."
                : "Free probability has no prediction for trained weights; the comparison is the same architecture (" + r.architecture()
                        + ") at Kaiming initialisation, measured at the same digits.");
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("m₁", JacobianReport.fmt(r.trained().mean()), r.initialised() == null ? "" : JacobianReport.fmt(r.initialised().mean())));
        rows.add(List.of("var/m₁²", JacobianReport.fmt(r.trained().varianceRatio()), r.initialised() == null ? "" : JacobianReport.fmt(r.initialised().varianceRatio())));
        rows.add(List.of("λ_min", JacobianReport.fmt(r.trained().min()), r.initialised() == null ? "" : JacobianReport.fmt(r.initialised().min())));
        rows.add(List.of("λ_max", JacobianReport.fmt(r.trained().max()), r.initialised() == null ? "" : JacobianReport.fmt(r.initialised().max())));
        if (r.freeProbabilityMeanAtInit() != null) rows.add(List.of("free-probability m₁ at initialisation", "", JacobianReport.fmt(r.freeProbabilityMeanAtInit())));
        h.table(List.of("quantity", "trained", "at initialisation"), rows);
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        List<double[]> sets = r.initialised() == null ? List.of(r.trained().eigenvalues()) : List.of(r.trained().eigenvalues(), r.initialised().eigenvalues());
        for (double[] e : sets) for (double x : e) if (x > 0) {
            lo = Math.min(lo, Math.log10(x));
            hi = Math.max(hi, Math.log10(x));
        }
        int bins = 40;
        double[] centre = new double[bins];
        for (int i = 0; i < bins; i++) centre[i] = lo + (i + 0.5) * (hi - lo) / bins;
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("trained", logHistogram(r.trained().eigenvalues(), lo, hi, bins));
        if (r.initialised() != null) series.put("at initialisation", logHistogram(r.initialised().eigenvalues(), lo, hi, bins));
        h.chart(Charts.lines("Eigenvalues of JJᵀ", "log10 λ", "fraction per bin", centre, series),
                "Look at the shift and the width: training moves the singular values of J away from their spread at initialisation "
                        + "(histogram of log10 λ, fractions of all eigenvalues).");
        return h;
    }

    private static double[] logHistogram(double[] e, double lo, double hi, int bins) {
        double[] h = new double[bins];
        double width = (hi - lo) / bins;
        for (double x : e) {
            if (!(x > 0)) continue;
            int b = width == 0 ? 0 : (int) ((Math.log10(x) - lo) / width);
            h[Math.max(0, Math.min(bins - 1, b))] += 1.0 / e.length;
        }
        return h;
    }
}
