package dev.orbit.landscape;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.orbit.report.Charts;
import dev.orbit.report.HtmlReport;

/** The report of {@link FlatnessExperiment}. */
final class FlatnessReport {
    private FlatnessReport() {}

    /** The highest loss on a line. */
    static double peak(Flatness.Curve c) {
        double peak = 0;
        for (double l : c.loss()) peak = Math.max(peak, l);
        return peak;
    }

    /** The loss barrier: the highest loss on the line minus the higher end. */
    private static double barrier(Flatness.Curve c) {
        return peak(c) - Math.max(c.loss()[0], c.loss()[c.loss().length - 1]);
    }

    static HtmlReport of(Flatness.Result r) {
        var c = r.config();
        HtmlReport h = new HtmlReport("Flatness: interpolating between small- and large-batch minima");
        h.heading("What the paper claims");
        h.paragraph("Neural teleportation (arXiv 2012.01118, fig. 5): MLPs trained with batch 8 and batch 1024 on CIFAR-10, "
                + "1-D interpolation between them before and after teleporting with r = 0.9; teleportation changes the "
                + "landscape between the minima (the paper reads it as teleportation sharpening the minima).");
        h.heading("What was run");
        h.paragraph(String.format("%s trained with SGD (momentum 0.9) on %,d bundled digits: batch 8, lr 0.01, %d epoch(s), and "
                        + "batch 1024, lr 0.1, %d epochs. Loss and accuracy on the 2,000 held-out digits at %d points of "
                        + "θ(α) = (1−α)·θ₈ + α·θ₁₀₂₄, before and after teleporting both models (intra-landscape, positive "
                        + "factors, so both stay the same plain ReLU graph).", c.arch(), c.trainSamples(),
                c.smallBatchEpochs(), c.largeBatchEpochs(), c.points()));
        h.heading("What Orbit measured");
        double[] alpha = r.curves().getFirst().alpha();
        Map<String, double[]> loss = new LinkedHashMap<>();
        Map<String, double[]> acc = new LinkedHashMap<>();
        for (var curve : r.curves()) {
            loss.put(curve.label(), curve.loss());
            acc.put(curve.label(), curve.accuracy());
        }
        h.chart(Charts.lines("Test loss along the line", "α (0 = batch 8, 1 = batch 1024)", "loss", alpha, loss),
                "Look at the middle of the line: the ends keep their loss (teleporting preserves each model), while the bump between them "
                        + "changes with the CoB range: that is the landscape between the minima changing.");
        h.chart(Charts.lines("Test accuracy along the line", "α", "accuracy", alpha, acc), "Same lines, accuracy: look for the dip in the middle and whether teleporting deepens it; the ends stay put.");
        List<List<String>> rows = new ArrayList<>();
        for (var curve : r.curves()) {
            double peak = peak(curve);
            double minAcc = 1;
            for (double a : curve.accuracy()) minAcc = Math.min(minAcc, a);
            rows.add(List.of(curve.label(), String.format("%.4f", curve.loss()[0]), String.format("%.4f", curve.loss()[curve.loss().length - 1]),
                    String.format("%.4f", peak), String.format("%.4f", minAcc)));
        }
        h.table(List.of("line", "loss at α=0", "loss at α=1", "highest loss", "lowest accuracy"), rows);
        double first = barrier(r.curves().getFirst());
        double last = barrier(r.curves().getLast());
        h.paragraph(String.format("End points are unchanged by teleporting (test accuracy %.4f and %.4f). The loss barrier "
                        + "(highest loss on the line minus the higher end) is %.4f before teleporting and %.4f after the "
                        + "largest range: %s", r.smallAccuracy(), r.largeAccuracy(), first, last,
                last > first ? "teleportation reshapes the landscape between the minima, as the paper reports."
                        : "teleportation did not raise the barrier here, unlike the paper's report."));
        return h;
    }
}
