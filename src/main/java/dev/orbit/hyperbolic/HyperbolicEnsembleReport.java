package dev.orbit.hyperbolic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.orbit.report.Charts;
import dev.orbit.report.HtmlReport;

/** The report of {@link HyperbolicEnsembleExperiment}. */
final class HyperbolicEnsembleReport {
    private HyperbolicEnsembleReport() {}

    static HtmlReport of(OrbitEnsemble.Result r, String base) {
        var c = r.config();
        HtmlReport h = new HtmlReport("Orbit ensemble of a length-product model");
        h.heading("What was run");
        h.paragraph(String.format("Base model: %s (test accuracy %.4f). Each of %d epochs trains %d copies for one epoch on %,d fresh "
                        + "digits (Adam state reset, lr %s cosine over the epochs), keeps the copy with the best accuracy on %,d "
                        + "validation digits and regrows %d copies from it. Orbit copies are random points of the kept model's orbit "
                        + "(spread %s); the control trains unmoved copies of the kept model; the single model is trained alone. "
                        + "Test accuracy on %,d digits, mean ± std over %d seeds.", base, r.baseTestAccuracy(), c.epochs(), c.copies(),
                r.freshSamples(), c.lr(), r.validationSamples(), c.copies(), c.spread(), r.testSamples(), c.seeds()));
        List<List<String>> rows = new ArrayList<>();
        for (var a : r.arms()) rows.add(List.of(a.name(), String.format("%.4f ± %.4f", a.finalMean(), a.finalStd())));
        h.table(List.of("arm", "final test accuracy"), rows);
        double[] ep = new double[c.epochs()];
        for (int i = 0; i < ep.length; i++) ep[i] = i + 1;
        Map<String, double[]> series = new LinkedHashMap<>();
        for (var a : r.arms()) series.put(a.name(), a.mean());
        h.chart(Charts.lines("Test accuracy of the kept model (mean over seeds)", "epoch", "accuracy", ep, series),
                "Look at the gap between the orbit arm and the same-point arm at the last epoch, against the spread in the table below.");
        for (var a : r.arms()) h.chart(Charts.lineWithSpread(a.name(), "epoch", "accuracy", ep, a.mean(), a.std()), a.name() + ": mean ± std over seeds; wide bars mean the seeds disagree more than the arms differ.");
        List<List<String>> perEpoch = new ArrayList<>();
        for (int e = 0; e < c.epochs(); e++) {
            List<String> row = new ArrayList<>(List.of(Integer.toString(e + 1)));
            for (var a : r.arms()) row.add(String.format("%.4f ± %.4f", a.mean()[e], a.std()[e]));
            perEpoch.add(row);
        }
        List<String> head = new ArrayList<>(List.of("epoch"));
        r.arms().forEach(a -> head.add(a.name()));
        h.table(head, perEpoch);
        var orbit = r.arms().get(0);
        var same = r.arms().get(1);
        double gap = orbit.finalMean() - same.finalMean();
        double noise = Math.max(orbit.finalStd(), same.finalStd());
        h.paragraph(Math.abs(gap) <= noise
                ? String.format("Verdict: the orbit copies and the same-point copies end within one standard deviation of each other "
                        + "(difference %+.4f, std up to %.4f): no measurable benefit from growing the orbit in this setting.", gap, noise)
                : String.format("Verdict: the orbit copies end %s the same-point copies by %.4f (more than the std %.4f).",
                        gap > 0 ? "above" : "below", Math.abs(gap), noise));
        return h;
    }
}
