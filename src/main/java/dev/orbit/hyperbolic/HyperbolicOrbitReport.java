package dev.orbit.hyperbolic;

import java.util.ArrayList;
import java.util.List;

import dev.orbit.report.Charts;
import dev.orbit.report.HtmlReport;

/** The report of {@link HyperbolicOrbitExperiment}. */
final class HyperbolicOrbitReport {
    private HyperbolicOrbitReport() {}

    static HtmlReport of(OrbitCopies.Result r) {
        HtmlReport h = new HtmlReport("Orbit of a length-product model");
        h.heading("What was run");
        h.paragraph(String.format("%d random group elements (one per layer: %s; spread %s, seed %d) applied to %s; every copy's "
                        + "output on %d inputs compared with the original's float64 output in Orbit. Relative error per element is "
                        + "|a−b|/(|a|+|b|+ε) with ε the largest |output|.", r.copies().size(), String.join(", ", r.layers()),
                r.config().spread(), r.config().seed(), r.model(), r.samples()));
        h.table(List.of("check", "max rel error"), List.of(
                List.of("float64, Orbit's evaluator", String.format("%.2e", r.maxOrbitFloat64())),
                List.of("float64, ONNX Runtime (standard-op export)", String.format("%.2e", r.maxOrtFloat64())),
                List.of("float32, ONNX Runtime", String.format("%.2e", r.maxOrtFloat32())),
                List.of("the unmoved model: float64 export in ONNX Runtime", String.format("%.2e", r.exportFloat64())),
                List.of("the unmoved model: float32 in ONNX Runtime (rounding floor)", String.format("%.2e", r.baselineFloat32()))));
        h.paragraph(r.passed() ? "Every copy agrees with the original within the float64 tolerance " + r.config().tolerance() + "."
                : "Some copies exceed the float64 tolerance " + r.config().tolerance() + ": see result.json.");
        double[] e64 = r.copies().stream().mapToDouble(c -> Math.log10(Math.max(1e-18, Math.max(c.orbitFloat64(), c.ortFloat64())))).toArray();
        double[] e32 = r.copies().stream().mapToDouble(c -> Math.log10(Math.max(1e-18, c.ortFloat32()))).toArray();
        double[] wc = r.copies().stream().mapToDouble(OrbitCopies.Copy::weightChange).toArray();
        h.chart(Charts.histogram("float64 output error per copy", "log10 max rel error", e64, 30), "Look at the x axis: every copy's float64 error (the larger of Orbit and ONNX Runtime) sits far below the tolerance.");
        h.chart(Charts.histogram("float32 output error per copy (ONNX Runtime)", "log10 max rel error", e32, 30),
                "Moved points sit farther from the origin; float32 rounding of their coordinates grows with it.");
        h.chart(Charts.histogram("Weight change per copy", "mean|V−W| / mean|W|", wc, 30), "Look at where the mass sits: each copy's weight points moved a large fraction of their size, yet the outputs above did not.");
        List<List<String>> rows = new ArrayList<>();
        for (var c : r.copies().subList(0, Math.min(10, r.copies().size()))) {
            rows.add(List.of(Integer.toString(c.index()), String.format("%.3f", c.weightChange()), String.format("%.1e", c.orbitFloat64()),
                    String.format("%.1e", c.ortFloat64()), String.format("%.1e", c.ortFloat32())));
        }
        h.heading("First copies");
        h.table(List.of("#", "weight change", "float64 Orbit", "float64 ORT", "float32 ORT"), rows);
        return h;
    }
}
