package dev.orbit.landscape;

import java.util.ArrayList;
import java.util.List;

import dev.orbit.report.Charts;
import dev.orbit.report.HtmlReport;

/** The report of {@link LevelCurvesExperiment}. */
final class LevelCurvesReport {
    private LevelCurvesReport() {}

    static HtmlReport of(LevelCurves.Result r) {
        var c = r.config();
        HtmlReport h = new HtmlReport("Level curves: teleportation keeps the loss");
        h.heading("What the paper claims");
        h.paragraph("Neural teleportation (Armenta et al., arXiv 2012.01118) moves a network to another point of its "
                + "orbit: the weights change, the function and therefore the loss do not. The paper shows this with "
                + "100 teleports (inter-landscape, r = 0.9) of trained MLPs on CIFAR-10.");
        h.heading("What was run");
        h.paragraph(String.format("%d teleports (%s sampling, r = %s, with random permutations) of %s, evaluated in float32 "
                        + "on %d held-out bundled MNIST digits; loss is the mean cross-entropy computed in float64 from the logits.",
                c.teleports(), c.kind().name().toLowerCase(), c.range(), r.model(), c.testSamples()));
        h.heading("What Orbit measured");
        h.table(List.of("quantity", "value"), List.of(
                List.of("test loss before", String.format("%.6f", r.loss())),
                List.of("test accuracy before", String.format("%.4f", r.accuracy())),
                List.of("mean relative weight change mean|V−W|/mean|W|", String.format("%.3f", r.meanWeightChange())),
                List.of("per tensor ‖V−W‖/‖W‖: median (mean over teleports)", String.format("%.3f", r.meanMedianTensorChange())),
                List.of("per tensor ‖V−W‖/‖W‖: max over tensors and teleports", String.format("%.3f", r.maxTensorChange())),
                List.of("mean |Δloss|", String.format("%.2e", r.meanDeltaLoss())),
                List.of("max |Δloss|", String.format("%.2e", r.maxDeltaLoss())),
                List.of("max |Δaccuracy|", String.format("%.4f", r.maxDeltaAccuracy()))));
        h.paragraph(r.maxDeltaAccuracy() == 0 && r.maxDeltaLoss() < 1e-4
                ? "Agreement with the paper: every teleport moved the weights far while the loss changed only at float32 rounding level and the accuracy not at all."
                : "Disagreement with the paper's claim beyond float32 rounding: see the histograms below.");
        double[] dl = r.moves().stream().mapToDouble(LevelCurves.Move::deltaLoss).toArray();
        double[] wc = r.moves().stream().mapToDouble(LevelCurves.Move::weightChange).toArray();
        h.chart(Charts.histogram("Weight changes V − W (sample of individual weights)", "V − W", r.weightDeltaSample(), 40),
                "Look at the spread: individual weights move by amounts comparable to their own size, far from a tight peak at 0.");
        h.chart(Charts.histogram("Relative weight change per teleport", "mean|V−W| / mean|W|", wc, 20),
                "Look at where the mass sits: every teleport carries the whole weight vector a large fraction of its own size.");
        h.chart(Charts.histogram("|Δloss| per teleport", "|Δloss|", dl, 20), "Look at the x axis: |Δloss| at float32 rounding level (around 1e-8 for the bundled model) means the loss did not move; the table above gives the largest.");
        List<List<String>> rows = new ArrayList<>();
        for (var mv : r.moves().subList(0, Math.min(10, r.moves().size()))) {
            rows.add(List.of(Integer.toString(mv.index()), String.format("%.3f", mv.weightChange()),
                    String.format("%.3f", mv.medianTensorChange()), String.format("%.3f", mv.maxTensorChange()),
                    String.format("%.2e", mv.deltaLoss()), String.format("%.4f", mv.deltaAccuracy())));
        }
        h.heading("First teleports");
        h.table(List.of("#", "weight change", "median ‖V−W‖/‖W‖", "max ‖V−W‖/‖W‖", "|Δloss|", "|Δaccuracy|"), rows);
        return h;
    }
}
