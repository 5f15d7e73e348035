package dev.orbit.identity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.orbit.report.Charts;
import dev.orbit.report.HtmlReport;

/** The report of {@link ModeConnectivityExperiment}. */
final class ModeConnectivityReport {
    private ModeConnectivityReport() {}

    static HtmlReport of(ModeConnectivity.Result r) {
        var c = r.config();
        HtmlReport h = new HtmlReport("Linear mode connectivity after alignment");
        h.heading("What the papers claim");
        h.paragraph("Git re-basin (Ainsworth, Hayase and Srinivasa, ICLR 2023): two networks trained from different seeds are, up to "
                + "the permutation symmetry, in one basin — after weight or activation matching the loss along the straight line "
                + "between them has almost no barrier (MNIST MLPs: near zero). REPAIR (Jordan et al., 2022): much of what remains "
                + "is the collapse of hidden statistics under interpolation; restoring them shrinks the barrier further. Orbit "
                + "derives the permutation spec from its own analysis of the graph instead of writing it by hand, and aligns "
                + "scales (balanced points) too.");
        h.heading("What was run");
        h.paragraph(String.format("Per architecture, %d models trained from seeds 0…%d on %,d bundled training digits (%d epochs, SGD "
                        + "momentum 0.9, lr %s cosine, batch %d, weight decay 5e-4, ±1-pixel shifts). For every pair, the loss and "
                        + "accuracy on %,d held-out test digits at %d points of θ(t) = (1−t)·θ_A + t·θ_B: B as trained (naive), "
                        + "weight-matched and activation-matched to A (activations on %,d training digits), each also with its "
                        + "statistics corrected at every point (BatchNorm reset for nets with BatchNorm, REPAIR otherwise). Loss "
                        + "barrier = max over t of L(θ(t)) − ((1−t)·L(θ_A) + t·L(θ_B)). Every aligned B was checked against B in "
                        + "ONNX Runtime under the noise rule: %s.", c.seeds(), c.seeds() - 1, c.trainSamples(), c.epochs(), c.lr(),
                c.batch(), c.testSamples(), c.points(), c.alignSamples(), r.allVerified() ? "all passed" : "SOME FAILED"));
        h.heading("What Orbit measured");
        h.table(List.of("architecture", "path", "loss barrier (mean over pairs)", "barrier vs naive", "midpoint accuracy"), rows(r));
        for (var a : r.archs()) {
            var p = a.pairs().getFirst();
            double[] t = p.paths().getFirst().t();
            Map<String, double[]> loss = new LinkedHashMap<>();
            Map<String, double[]> acc = new LinkedHashMap<>();
            for (var path : p.paths()) {
                loss.put(path.method(), path.loss());
                acc.put(path.method(), path.accuracy());
            }
            String pair = "seeds " + p.seedA() + "–" + p.seedB();
            h.chart(Charts.lines("Test loss along the path, " + a.spec() + ", " + pair, "t (0 = A, 1 = B)", "loss", t, loss),
                    "The ends are the two trained models. Look at the middle: the naive line rises far above the ends; after matching "
                            + "the bump should shrink, and the corrected lines (" + a.correction() + ") shrink it further.");
            h.chart(Charts.lines("Test accuracy along the path, " + a.spec() + ", " + pair, "t", "accuracy", t, acc),
                    "Same paths, accuracy: the midpoint (t = 0.5) is the merged model.");
            List<List<String>> pr = new ArrayList<>();
            for (var q : a.pairs()) {
                pr.add(List.of(q.seedA() + "–" + q.seedB(), String.format("%.4f / %.4f", q.accuracyA(), q.accuracyB()),
                        String.format("%.3f", q.distanceBefore()),
                        String.format("%.3f / %.3f", q.distanceAfter().get(ModeConnectivity.WEIGHTS), q.distanceAfter().get(ModeConnectivity.ACTIVATIONS)),
                        String.valueOf(q.sweeps().get(ModeConnectivity.WEIGHTS)),
                        String.format("%.1f / %.1f", q.alignSeconds().get(ModeConnectivity.WEIGHTS), q.alignSeconds().get(ModeConnectivity.ACTIVATIONS)),
                        String.format("%s (%.2f) / %s (%.2f)", q.verification().get(ModeConnectivity.WEIGHTS) ? "pass" : "FAIL",
                                q.worstRatio().get(ModeConnectivity.WEIGHTS), q.verification().get(ModeConnectivity.ACTIVATIONS) ? "pass" : "FAIL",
                                q.worstRatio().get(ModeConnectivity.ACTIVATIONS))));
            }
            h.table(List.of("pair (" + a.spec() + ")", "test accuracy A / B", "‖B−A‖/‖A‖", "after weights / activations", "sweeps",
                    "align s (weights / activations)", "ORT noise rule (ratio) weights / activations"), pr);
        }
        return h;
    }

    private static List<List<String>> rows(ModeConnectivity.Result r) {
        List<List<String>> rows = new ArrayList<>();
        for (var a : r.archs()) {
            double naive = a.meanBarrier().get(ModeConnectivity.NAIVE);
            for (var e : a.meanBarrier().entrySet()) {
                rows.add(List.of(a.spec(), e.getKey(), String.format("%.4f", e.getValue()),
                        e.getKey().equals(ModeConnectivity.NAIVE) ? "" : String.format("%+.1f %%", 100 * (e.getValue() - naive) / naive),
                        String.format("%.4f", a.meanMidpointAccuracy().get(e.getKey()))));
            }
        }
        return rows;
    }

    /** The table as text (the terminal summary and docs/ALIGNMENT.md). */
    static String table(ModeConnectivity.Result r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%-40s %-26s %10s %12s %10s%n", "architecture", "path", "barrier", "vs naive", "mid acc"));
        for (var row : rows(r)) b.append(String.format("%-40s %-26s %10s %12s %10s%n", row.get(0), row.get(1), row.get(2), row.get(3), row.get(4)));
        b.append(r.allVerified() ? "every aligned model verified against its original in ONNX Runtime (noise rule)\n"
                : "SOME aligned models FAILED the ONNX Runtime check\n");
        return b.toString();
    }
}
