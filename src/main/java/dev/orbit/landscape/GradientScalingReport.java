package dev.orbit.landscape;

import java.util.ArrayList;
import java.util.List;

import dev.orbit.report.Charts;
import dev.orbit.report.HtmlReport;

/** The report of {@link GradientScalingExperiment}. */
final class GradientScalingReport {
    private GradientScalingReport() {}

    static HtmlReport of(GradientScaling.Result r) {
        HtmlReport h = new HtmlReport("Gradient scaling: teleportation reshapes the landscape");
        h.heading("What the paper claims");
        h.paragraph("Neural teleportation (arXiv 2012.01118, fig. 7): the normalised gradient difference "
                + "|‖∇V‖/‖V‖ − ‖∇W‖/‖W‖| between a model and its teleport grows with the CoB range (r in 15 values from "
                + "0.01 to 0.9, intra-landscape); shown for MLP, VGG, ResNet and DenseNet on CIFAR-10.");
        h.heading("What was run");
        h.paragraph(String.format("%d teleports per range (intra-landscape, no permutation) of %s, for %d ranges from 0.01 "
                        + "to 0.9; gradients of the mean cross-entropy on one fixed batch of %d held-out digits.",
                r.config().teleportsPerRange(), r.model(), r.config().ranges().length, r.config().batch()));
        h.heading("What Orbit measured");
        double[] x = r.curve().stream().mapToDouble(GradientScaling.Point::range).toArray();
        double[] y = r.curve().stream().mapToDouble(GradientScaling.Point::mean).toArray();
        double[] e = r.curve().stream().mapToDouble(GradientScaling.Point::std).toArray();
        h.chart(Charts.lineWithSpread("Normalised gradient difference vs CoB range", "CoB range r",
                "|‖∇V‖/‖V‖ − ‖∇W‖/‖W‖|", x, y, e), "Look at the slope: the paper's claim is a difference that grows with r (mean ± standard deviation over the "
                + "teleports of each range; the paragraph below says whether it does here).");
        List<List<String>> rows = new ArrayList<>();
        for (var p : r.curve()) {
            rows.add(List.of(String.format("%.3f", p.range()), String.format("%.4e", p.mean()), String.format("%.1e", p.std()),
                    String.format("%.4e", p.min()), String.format("%.4e", p.max())));
        }
        h.table(List.of("r", "mean", "std", "min", "max"), rows);
        boolean grows = y[y.length - 1] > y[0];
        h.paragraph(String.format("Baseline ‖∇W‖/‖W‖ = %.4e. From r = %.2f to r = %.2f the mean difference goes from %.3e to "
                + "%.3e: %s", r.baseline(), x[0], x[x.length - 1], y[0], y[y.length - 1],
                grows ? "it grows with the range, as the paper reports." : "it does not grow, which disagrees with the paper."));
        return h;
    }
}
