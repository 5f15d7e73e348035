package dev.orbit.quant;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.orbit.report.Charts;
import dev.orbit.report.HtmlReport;
import dev.orbit.verify.VerifyReport;

/** What {@code orbit rotate} reports: the chosen rotations, quantisation error before and after, the verification. */
public final class RotationReport {
    /** The one objective today: the largest |activation| of the residual stream. */
    public static final String OBJECTIVE = "outliers";

    /** One rotation run: the model's label, its settings, what OutlierRotation found, the figures and the check. */
    public record Run(String model, int calibration, int candidates, long seed, double tolerance, OutlierRotation.Result rotation,
                      List<QuantFigures> quant, VerifyReport verification, boolean written) {}

    private RotationReport() {}

    /** The terminal table: per stream the best candidate, then the quantisation errors. */
    public static String text(Run run) {
        StringBuilder b = new StringBuilder();
        for (OutlierRotation.StreamResult s : run.rotation().streams()) {
            b.append(String.format("stream %d (width %d): max |activation| %.4g → %.4g with %s #%d (best of %d candidates)%n", s.stream(), s.width(),
                    s.candidates().getFirst().maxActivation(), s.best().maxActivation(), s.best().kind(), s.best().index(), s.candidates().size() - 1));
            b.append(String.format("  best hadamard %.4g, best haar %.4g%n", best(s, "hadamard"), best(s, "haar")));
        }
        b.append(String.format("%-9s %10s %9s %9s %9s %9s %10s %10s%n", "model", "max|act|", "W int8", "W int4", "A int8", "A int4", "out W8A8", "out W4A4"));
        for (QuantFigures q : run.quant()) {
            b.append(String.format("%-9s %10.4g %9.2e %9.2e %9.2e %9.2e %10.2e %10.2e%n", q.label(), q.maxActivation(), q.weightInt8(), q.weightInt4(),
                    q.activationInt8(), q.activationInt4(), q.outputInt8(), q.outputInt4()));
        }
        b.append("errors: ‖x − RTN(x)‖/‖x‖, weights per output channel, activations (linear-layer inputs) per tensor, symmetric; "
                + "out: the whole model quantised, against the float original, on " + run.calibration() + " evaluation samples\n");
        return b.toString();
    }

    static double best(OutlierRotation.StreamResult s, String kind) {
        return s.candidates().stream().filter(c -> c.kind().equals(kind)).mapToDouble(OutlierRotation.Candidate::maxActivation).min().orElse(Double.NaN);
    }

    /** result.json and --json. */
    public static Map<String, Object> json(Run run) {
        OutlierRotation.Result r = run.rotation();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", run.model());
        m.put("objective", OBJECTIVE);
        m.put("calibration_samples", run.calibration());
        m.put("candidates_per_kind", run.candidates());
        m.put("seed", run.seed());
        m.put("norm_folding_notes", r.foldingNotes());
        List<Map<String, Object>> streams = new ArrayList<>();
        for (OutlierRotation.StreamResult s : r.streams()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("stream", s.stream());
            o.put("width", s.width());
            o.put("max_activation_before", s.candidates().getFirst().maxActivation());
            o.put("max_activation_after", s.best().maxActivation());
            o.put("best", s.best());
            o.put("best_hadamard", best(s, "hadamard"));
            o.put("best_haar", best(s, "haar"));
            o.put("candidates", s.candidates());
            streams.add(o);
        }
        m.put("streams", streams);
        m.put("quantisation", run.quant());
        m.put("quantisation_scheme", "symmetric round-to-nearest; weights per output channel, activations (inputs of linear layers) "
                + "per tensor with scales from the calibration batch; errors ‖x − x̂‖/‖x‖ averaged over linear layers, on a separate evaluation batch");
        m.put("verification", run.verification());
        m.put("written", run.written());
        return m;
    }

    /** The HTML page. */
    public static HtmlReport html(Run run) {
        OutlierRotation.Result r = run.rotation();
        int calibration = run.calibration();
        int candidates = run.candidates();
        HtmlReport h = new HtmlReport("Residual rotation against activation outliers");
        h.heading("What was done");
        h.paragraph(String.format("%s: norm gains folded into the linear maps (an exact rewrite), residual-stream activations recorded "
                + "on %d random N(0,1) samples, %d random Hadamard and %d Haar rotations scored by the largest |activation| "
                + "over the stream; the best one applied and verified in ONNX Runtime (max relative output error %.2e, tolerance %.0e).",
                run.model(), calibration, candidates, candidates, run.verification().worstRelError(), run.tolerance()));
        for (OutlierRotation.StreamResult s : r.streams()) {
            h.heading("Stream " + s.stream() + " (width " + s.width() + ")");
            h.table(List.of("", "max |activation|"), List.of(
                    List.of("before (identity)", String.format("%.4g", s.candidates().getFirst().maxActivation())),
                    List.of("best Hadamard", String.format("%.4g", best(s, "hadamard"))),
                    List.of("best Haar", String.format("%.4g", best(s, "haar"))),
                    List.of("chosen: " + s.best().kind() + " #" + s.best().index(), String.format("%.4g", s.best().maxActivation()))));
            double[] x = new double[s.width()];
            for (int i = 0; i < x.length; i++) x[i] = i;
            Map<String, double[]> series = new LinkedHashMap<>();
            series.put("before", s.channelMaxBefore());
            series.put("after", s.channelMaxAfter());
            h.chart(Charts.lines("Largest |activation| per channel", "channel", "max |x|", x, series),
                    "Outlier channels (planted or learned) dominate before; the rotation spreads them over every channel.");
            Map<String, double[]> cands = new LinkedHashMap<>();
            for (String kind : List.of("hadamard", "haar")) {
                double[] y = s.candidates().stream().filter(c -> c.kind().equals(kind)).mapToDouble(OutlierRotation.Candidate::maxActivation).toArray();
                if (y.length == candidates) cands.put(kind, y);
            }
            double[] idx = new double[candidates];
            for (int i = 0; i < idx.length; i++) idx[i] = i;
            if (!cands.isEmpty()) h.chart(Charts.lines("Candidates", "candidate", "max |activation|", idx, cands), "Look at the spread between candidates: the chosen one is the lowest point; Hadamard and Haar usually land close.");
        }
        h.heading("Quantisation error (round to nearest, symmetric)");
        List<List<String>> rows = new ArrayList<>();
        for (QuantFigures q : run.quant()) {
            rows.add(List.of(q.label(), String.format("%.4g", q.maxActivation()), String.format("%.2e", q.weightInt8()), String.format("%.2e", q.weightInt4()),
                    String.format("%.2e", q.activationInt8()), String.format("%.2e", q.activationInt4()), String.format("%.2e", q.outputInt8()),
                    String.format("%.2e", q.outputInt4()), String.format("%.2e", q.outputWeightsInt8()), String.format("%.2e", q.outputWeightsInt4())));
        }
        h.table(List.of("model", "max |linear input| (not the data)", "W int8", "W int4", "A int8", "A int4", "output W8A8", "output W4A4", "output W8", "output W4"), rows);
        h.paragraph("Weights per output channel, activations (the inputs of every linear layer) per tensor with scales from the calibration "
                + "batch; errors ‖x − x̂‖/‖x‖ averaged over linear layers and measured on " + calibration + " other samples. Output columns: the "
                + "whole model with those weights (and activations) quantised, run in ONNX Runtime, against the float original.");
        if (!r.foldingNotes().isEmpty()) {
            h.heading("Norm folding notes");
            for (String n : r.foldingNotes()) h.paragraph(n);
        }
        return h;
    }
}
