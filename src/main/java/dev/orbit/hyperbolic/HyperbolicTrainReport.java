package dev.orbit.hyperbolic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.orbit.report.Charts;
import dev.orbit.report.HtmlReport;
import dev.orbit.train.EpochStats;

/** The report of {@link HyperbolicTrainExperiment}. */
final class HyperbolicTrainReport {
    private HyperbolicTrainReport() {}

    static HtmlReport of(HyperbolicTrainExperiment.Result r) {
        HtmlReport h = new HtmlReport("Length-product network against an ordinary MLP");
        h.heading("What was run");
        h.paragraph("A network whose layers sum hyperbolic (or Euclidean) distances instead of products, each followed by "
                + "BatchNormalization, trained in float64 on the bundled digits; an ordinary ReLU MLP of the same widths trained "
                + "with the same optimiser, learning rate, schedule, batch and epochs. BatchNorm statistics are recalibrated on "
                + "2,000 training digits after each epoch (the sums of distances drift faster than running averages follow).");
        List<List<String>> rows = new ArrayList<>();
        for (HyperbolicTrainExperiment.Run run : r.mlp() == null ? List.of(r.hyperbolic()) : List.of(r.hyperbolic(), r.mlp())) {
            rows.add(List.of(run.name(), run.arch(), String.format("%,d", run.parameters()), String.format("%.4f", run.testAccuracy())));
        }
        h.table(List.of("network", "architecture", "parameters", "test accuracy"), rows);
        int epochs = r.hyperbolic().history().size();
        double[] ep = new double[epochs];
        for (int i = 0; i < epochs; i++) ep[i] = i + 1;
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("length product", r.hyperbolic().history().stream().mapToDouble(EpochStats::testAccuracy).toArray());
        if (r.mlp() != null) series.put("MLP", r.mlp().history().stream().mapToDouble(EpochStats::testAccuracy).toArray());
        if (epochs > 1) h.chart(Charts.lines("Test accuracy", "epoch", "accuracy", ep, series), "Look at the gap between the two networks and whether it closes with more epochs.");
        h.heading("Exports");
        h.table(List.of("file", "what", "max rel error vs Orbit float64"), List.of(
                List.of("model.onnx", "Orbit's form (dev.orbit nodes)", "0 (same evaluator)"),
                List.of("model.standard.onnx", "standard ONNX, float64, in ONNX Runtime", String.format("%.2e", r.ortFloat64RelError())),
                List.of("model.float32.onnx", "standard ONNX, float32, in ONNX Runtime", String.format("%.2e", r.ortFloat32RelError()))));
        return h;
    }
}
