package dev.orbit.spectra;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.orbit.ops.Activation;
import dev.orbit.report.Charts;
import dev.orbit.report.HtmlReport;

/** The report and terminal table of {@link JacobianExperiment}. */
final class JacobianReport {
    private JacobianReport() {}

    static String describe(JacobianExperiment.Config c) {
        return String.format("%s, %s weights, L = %d, N = %d, σ_w = %.4f, σ_b = %.4f, q* = %.4g, χ₁ = %.4f, %d seed%s",
                name(c.activation()), c.weights(), c.depth(), c.width(), c.sigmaW(), c.sigmaB(), c.qStar(), c.chi(), c.seeds(),
                c.seeds() == 1 ? "" : "s");
    }

    static String name(Activation a) { return a.label(); }

    static String table(JacobianExperiment.Result r) {
        var t = r.theory();
        StringBuilder s = new StringBuilder();
        s.append("Jacobian spectrum (eigenvalues of JJᵀ): ").append(describe(r.config())).append('\n');
        s.append(String.format("  %-26s %14s %14s%n", "quantity", "measured", "theory"));
        s.append(String.format("  %-26s %14.5g %14.5g%n", "m₁ (mean eigenvalue)", r.mean(), t.mean()));
        s.append(String.format("  %-26s %14s %14.5g%n", "var/m₁²", String.format("%.4g ± %.2g", r.varianceRatio(), r.varianceRatioSd()), t.varianceRatio()));
        s.append(String.format("  %-26s %14.5g %14.5g%n", "λ_max", r.max(), t.edge()));
        double zeroAtom = t.atoms().stream().filter(a -> a.location() == 0).mapToDouble(a -> a.mass()).sum();
        s.append(String.format("  %-26s %14.4f %14.4f%n", "fraction of zeros", r.zeroFraction(), zeroAtom));
        for (var a : t.atoms()) {
            if (a.location() > 0) s.append(String.format("  %-26s %14s %14.4f%n", String.format("atom at λ = %.4g", a.location()), "", a.mass()));
        }
        if (r.histogram() != null) {
            s.append(String.format("  %-26s %14.4f %14s%n", "L1(histogram, density)", r.histogram().l1(),
                    String.format("floor %.4f", r.histogram().l1SamplingFloor())));
        } else {
            s.append("  (isometric: the predicted spectrum is a single point, no density to compare)\n");
        }
        if (r.ntk() != null) {
            var n = r.ntk();
            s.append(String.format("One-sample NTK: mean eigenvalue %.4g (L·q* = %.4g), max/mean %.3f, min/mean %.3f, η < 2/λ_max = %.4g%n",
                    n.mean(), n.depthTimesQStar(), n.maxOverMean(), n.minOverMean(), n.learningRateBound()));
        }
        return s.toString();
    }

    static HtmlReport of(JacobianExperiment.Result r) {
        var c = r.config();
        var t = r.theory();
        HtmlReport h = new HtmlReport("Jacobian spectrum against free probability");
        h.heading("What was run");
        h.paragraph(describe(c) + ". Weights " + (c.weights() == WeightLaw.GAUSSIAN ? "N(0, σ_w²/N)" : "σ_w·O with O Haar-orthogonal")
                + ", biases N(0, σ_b²); the input has ‖x‖²/N = (q* − σ_b²)/σ_w², so every layer's pre-activations have "
                + "length q*. J = D_L W_L ⋯ D_1 W_1 is built layer by layer in float64 (libtorch) and the eigenvalues of JJᵀ "
                + "are the squared singular values of J.");
        h.paragraph("Free probability (Pennington, Schoenholz, Ganguli 2017): S_{JJᵀ} = (S_{WWᵀ}·S_{D²})^L, with "
                + "S_{WWᵀ} = 1/(σ_w²(1 + z)) (Gaussian) or σ_w⁻² (orthogonal) and D² Bernoulli(p) for ReLU/hard-tanh; "
                + "the density is ρ(λ) = |Im M(λ + iη)|/(πλ), found by tracking the physical root of M⁻¹(z) = λ down from λ ≫ λ_max.");
        h.heading("Measured against predicted");
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("m₁ (mean eigenvalue)", fmt(r.mean()), fmt(t.mean())));
        rows.add(List.of("var/m₁²", String.format("%.4g ± %.2g (sd over seeds)", r.varianceRatio(), r.varianceRatioSd()), fmt(t.varianceRatio())));
        rows.add(List.of("λ_max (mean over seeds)", fmt(r.max()), fmt(t.edge())));
        double zeroAtom = t.atoms().stream().filter(a -> a.location() == 0).mapToDouble(a -> a.mass()).sum();
        rows.add(List.of("fraction of zero eigenvalues", String.format("%.4f", r.zeroFraction()), String.format("%.4f", zeroAtom)));
        for (var a : t.atoms()) if (a.location() > 0) rows.add(List.of("atom at λ = " + fmt(a.location()), "", String.format("%.4f", a.mass())));
        if (r.histogram() != null) {
            rows.add(List.of("L1(histogram, density) on λ > 0", String.format("%.4f", r.histogram().l1()),
                    String.format("sampling floor %.4f", r.histogram().l1SamplingFloor())));
        }
        h.table(List.of("quantity", "measured", "free probability"), rows);
        if (r.histogram() != null) {
            var hist = r.histogram();
            int b = hist.measured().length;
            double[] centre = new double[b], measured = new double[b], predicted = new double[b];
            for (int i = 0; i < b; i++) {
                double w = hist.edges()[i + 1] - hist.edges()[i];
                centre[i] = 0.5 * (hist.edges()[i] + hist.edges()[i + 1]);
                measured[i] = hist.measured()[i] / w;
                predicted[i] = hist.predicted()[i] / w;
            }
            Map<String, double[]> series = new LinkedHashMap<>();
            series.put("Monte Carlo histogram", measured);
            series.put("free probability", predicted);
            h.chart(Charts.lines("Density of the non-zero eigenvalues of JJᵀ", "λ", "density", centre, series),
                    String.format("Both normalised to unit mass on λ > 0 (%d eigenvalues pooled over the seeds); L1 = %.4f, a sample of "
                            + "the same size drawn from the prediction itself shows %.4f.", hist.eigenvalues(), hist.l1(), hist.l1SamplingFloor()));
        }
        double[] depths = new double[c.depth()];
        for (int i = 0; i < depths.length; i++) depths[i] = i + 1;
        Map<String, double[]> byDepth = new LinkedHashMap<>();
        byDepth.put("measured (mean over seeds)", r.varianceRatioByDepth());
        byDepth.put("free probability", t.varianceRatioByDepth());
        h.chart(Charts.lines("var/m₁² of the first l layers' Jacobian", "depth l", "var/m₁²", depths, byDepth),
                "Free probability: L/p for Gaussian and L(1 − p)/p for orthogonal weights with Bernoulli D²; measured from "
                        + "tr(JJᵀ) and ‖JJᵀ‖_F² after every layer.");
        if (r.ntk() != null) {
            var n = r.ntk();
            h.heading("One-sample NTK");
            h.paragraph("NTK = Σ_l (σ_w²‖x_{l−1}‖²/N + σ_b²)·J_{l→L}J_{l→L}ᵀ (NTK parameterisation) at the sampled input; under "
                    + "dynamical isometry it is ≈ L·q*·I. Gradient descent on ½‖f − y‖² at this input is stable for η < 2/λ_max.");
            h.table(List.of("quantity", "value"), List.of(
                    List.of("mean eigenvalue", fmt(n.mean())), List.of("L·q*", fmt(n.depthTimesQStar())),
                    List.of("max/mean", String.format("%.3f", n.maxOverMean())), List.of("min/mean", String.format("%.3f", n.minOverMean())),
                    List.of("learning-rate bound 2/λ_max", fmt(n.learningRateBound()))));
        }
        h.heading("Per seed");
        List<List<String>> seedRows = new ArrayList<>();
        for (var s : r.seeds()) {
            double[] len = s.lengths();
            seedRows.add(List.of(Long.toString(s.seed()), fmt(s.mean()), fmt(s.varianceRatio()), fmt(s.max()), Integer.toString(s.structuralZeros()),
                    String.format("%.4g … %.4g", Arrays.stream(len).min().orElse(0), Arrays.stream(len).max().orElse(0))));
        }
        h.table(List.of("seed", "m₁", "var/m₁²", "λ_max", "zeros", "pre-activation lengths q^l (min … max)"), seedRows);
        return h;
    }

    static String fmt(double x) { return String.format("%.5g", x); }
}
