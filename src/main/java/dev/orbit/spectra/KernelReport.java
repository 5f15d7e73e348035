package dev.orbit.spectra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.orbit.report.Charts;
import dev.orbit.report.HtmlReport;

/** The HTML page and terminal table of {@link KernelExperiment}: accuracies, kernel spectra, gradient-flow curves, posterior variances. */
final class KernelReport {
    private KernelReport() {}

    static HtmlReport of(KernelExperiment.Result r) {
        HtmlReport h = new HtmlReport("Infinite-width kernel regression");
        h.heading("What was run");
        h.paragraph(String.format("Architecture %s at infinite width (NTK parameterisation, σ_w² = %s, σ_b² = %s), %,d training "
                        + "digits, %,d test digits (%s data). Targets: %s; prediction: argmax. NNGP: exact GP posterior mean "
                        + "K*·K⁻¹·Y. NTK: mean of the ensemble of infinitely wide networks trained to convergence by gradient "
                        + "descent on the MSE, Θ*·Θ⁻¹·Y, and along gradient flow at η = η_max/2 = |y|/λ_max(Θ). Cholesky in float64 "
                        + "with ε·tr(K)/n on the diagonal (ε requested %s; the table shows the ε that succeeded).",
                r.arch(), r.sigmaW2(), r.sigmaB2(), r.train(), r.test(), r.data(), r.targets(), r.epsilonRequested()));
        h.heading("Accuracy");
        List<List<String>> rows = new ArrayList<>();
        for (var d : r.depths()) {
            rows.add(List.of(Integer.toString(d.depth()), acc(d.nngp()), acc(d.ntk()),
                    d.flow().isEmpty() ? "-" : String.format("%.4f", bestFlow(d)),
                    d.nngp() == null ? "-" : String.format("%.3e / %.3e", d.nngp().largestEigenvalue(), d.nngp().smallestEigenvalue()),
                    d.ntk() == null ? "-" : String.format("%.3e / %.3e", d.ntk().largestEigenvalue(), d.ntk().smallestEigenvalue()),
                    d.ntk() == null ? "-" : String.format("%.4g", d.maxLearningRate()),
                    eps(d.nngp()) + " / " + eps(d.ntk()),
                    String.format("%.1f", d.seconds())));
        }
        h.table(List.of("depth", "NNGP test acc", "NTK test acc (t = ∞)", "best along flow", "K: λmax / λmin", "Θ: λmax / λmin",
                "η_max = 2|y|/λmax(Θ)", "ε NNGP / NTK", "seconds"), rows);
        h.paragraph(r.depths().getFirst().kernel());
        if (r.depths().size() > 1) {
            double[] x = r.depths().stream().mapToDouble(KernelRegression.DepthResult::depth).toArray();
            Map<String, double[]> s = new LinkedHashMap<>();
            if (r.depths().getFirst().nngp() != null) s.put("NNGP", r.depths().stream().mapToDouble(d -> d.nngp().testAccuracy()).toArray());
            if (r.depths().getFirst().ntk() != null) s.put("NTK", r.depths().stream().mapToDouble(d -> d.ntk().testAccuracy()).toArray());
            h.chart(Charts.lines("Test accuracy against depth", "hidden layers", "test accuracy", x, s), "Look at the trend with depth: where NNGP and NTK accuracy peak, and whether the two kernels agree.");
        }
        spectrum(h, r);
        flow(h, r);
        var last = r.depths().getLast();
        KernelRegression.Fit f = last.nngp() != null ? last.nngp() : last.ntk();
        String what = last.nngp() != null ? "NNGP posterior variance" : "NTK-ensemble variance";
        h.chart(Charts.histogram(what + ", depth " + last.depth(), "variance per test digit (one output; every class has the same)",
                f.posteriorVariance(), 40), String.format("Mean %.4g (per depth: %s). Large variance marks test digits far from the "
                + "training set in the kernel's geometry.", f.meanPosteriorVariance(), meanVariances(r)));
        for (var d : r.depths()) {
            if (d.empirical() != null) {
                h.paragraph(String.format("Depth %d: the empirical NTK of one random width-%d MLP (NTK parameterisation, same σ's) differs "
                        + "from the infinite-width NTK on the first %d training digits by %.4f (relative Frobenius norm).", d.depth(),
                        d.empirical().width(), d.empirical().samples(), d.empirical().relativeFrobeniusError()));
            }
        }
        return h;
    }

    private static void spectrum(HtmlReport h, KernelExperiment.Result r) {
        int n = r.depths().getFirst().nngp() != null ? r.depths().getFirst().nngp().eigenvalues().length
                : r.depths().getFirst().ntk().eigenvalues().length;
        int points = Math.min(n, 200);
        double[] x = new double[points];
        int[] rank = new int[points];
        for (int i = 0; i < points; i++) {
            rank[i] = (int) Math.round(Math.pow(n, i / (double) Math.max(1, points - 1))); // 1..n, log-spaced
            x[i] = Math.log10(rank[i]);
        }
        Map<String, double[]> s = new LinkedHashMap<>();
        for (var d : r.depths()) {
            if (d.nngp() != null) s.put("NNGP depth " + d.depth(), byRank(d.nngp().eigenvalues(), rank));
            if (d.ntk() != null) s.put("NTK depth " + d.depth(), byRank(d.ntk().eigenvalues(), rank));
        }
        h.chart(Charts.lines("Kernel spectrum (train × train)", "log10 rank", "log10 eigenvalue", x, s),
                "Eigenvalues in decreasing order. Gradient flow learns the top modes first: mode i converges in about λmax/λi steps at η = η_max/2.");
    }

    private static double[] byRank(double[] ascending, int[] rank) {
        double[] y = new double[rank.length];
        double floor = ascending[ascending.length - 1] * 1e-16; // rounding-level (or negative) eigenvalues: drawn at the floor
        for (int i = 0; i < rank.length; i++) y[i] = Math.log10(Math.max(ascending[ascending.length - rank[i]], floor));
        return y;
    }

    private static void flow(HtmlReport h, KernelExperiment.Result r) {
        var withFlow = r.depths().stream().filter(d -> !d.flow().isEmpty()).toList();
        if (withFlow.isEmpty()) return;
        double[] x = withFlow.getFirst().flow().stream().mapToDouble(p -> Math.log10(p.steps())).toArray();
        Map<String, double[]> s = new LinkedHashMap<>();
        for (var d : withFlow) {
            s.put("test, depth " + d.depth(), d.flow().stream().mapToDouble(KernelRegression.FlowPoint::testAccuracy).toArray());
            s.put("train, depth " + d.depth(), d.flow().stream().mapToDouble(KernelRegression.FlowPoint::trainAccuracy).toArray());
        }
        h.chart(Charts.lines("Accuracy along gradient flow (NTK)", "log10 steps at η = η_max/2", "accuracy", x, s),
                "Look at where test accuracy levels off and whether it falls while train accuracy still rises (overfitting along the flow); "
                        + "the mean prediction of infinitely wide networks trained by gradient descent on the MSE.");
    }

    private static String meanVariances(KernelExperiment.Result r) {
        return String.join(", ", r.depths().stream().map(d -> {
            KernelRegression.Fit f = d.nngp() != null ? d.nngp() : d.ntk();
            return String.format("%d: %.4g", d.depth(), f.meanPosteriorVariance());
        }).toList());
    }

    private static double bestFlow(KernelRegression.DepthResult d) {
        return d.flow().stream().mapToDouble(KernelRegression.FlowPoint::testAccuracy).max().orElse(Double.NaN);
    }

    private static String acc(KernelRegression.Fit f) { return f == null ? "-" : String.format("%.4f", f.testAccuracy()); }

    private static String eps(KernelRegression.Fit f) {
        return f == null ? "-" : String.format("%.0e", f.epsilon()) + (f.choleskyRetries() > 0 ? " (" + f.choleskyRetries() + " retries)" : "");
    }

    static String table(KernelExperiment.Result r) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%5s  %9s  %9s  %9s  %11s  %11s  %10s  %s%n", "depth", "NNGP acc", "NTK acc", "flow acc*", "λmax(Θ)", "η_max", "ε used", "seconds"));
        for (var d : r.depths()) {
            String nngp = d.nngp() == null ? "-" : String.format("%.4f", d.nngp().testAccuracy());
            String ntk = d.ntk() == null ? "-" : String.format("%.4f", d.ntk().testAccuracy());
            String flow = d.flow().isEmpty() ? "-" : String.format("%.4f", d.flow().stream().mapToDouble(KernelRegression.FlowPoint::testAccuracy).max().orElse(0));
            String lmax = d.ntk() == null ? "-" : String.format("%.4g", d.ntk().largestEigenvalue());
            String eta = d.ntk() == null ? "-" : String.format("%.4g", d.maxLearningRate());
            String eps = (d.nngp() == null ? "-" : String.format("%.0e", d.nngp().epsilon())) + "/" + (d.ntk() == null ? "-" : String.format("%.0e", d.ntk().epsilon()));
            out.append(String.format("%5d  %9s  %9s  %9s  %11s  %11s  %10s  %.1f%n", d.depth(), nngp, ntk, flow, lmax, eta, eps, d.seconds()));
        }
        if (r.depths().stream().anyMatch(d -> !d.flow().isEmpty())) {
            out.append("* best test accuracy along gradient flow (η = η_max/2, 1 to 1e7 steps); ε used: NNGP/NTK regularisation").append(System.lineSeparator());
        }
        for (var d : r.depths()) {
            if (d.empirical() != null) {
                out.append(String.format("depth %d: empirical NTK of a width-%d MLP vs infinite width on %d digits: relative Frobenius error %.4f%n",
                        d.depth(), d.empirical().width(), d.empirical().samples(), d.empirical().relativeFrobeniusError()));
            }
        }
        return out.toString();
    }
}
