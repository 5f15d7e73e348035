package dev.orbit.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.orbit.graph.Model;
import dev.orbit.io.AtomicFiles;
import dev.orbit.io.onnx.OnnxExporter;
import dev.orbit.io.onnx.OnnxImporter;
import dev.orbit.quant.OutlierRotation;
import dev.orbit.quant.QuantFigures;
import dev.orbit.report.Charts;
import dev.orbit.report.HtmlReport;
import dev.orbit.symmetry.ElementFile;
import dev.orbit.tensor.NdArray;
import dev.orbit.verify.InputFactory;
import dev.orbit.verify.InputSpec;
import dev.orbit.verify.Verifier;
import dev.orbit.verify.VerifyReport;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rotate", mixinStandardHelpOptions = true,
        description = {"Rotate a transformer's residual stream to remove activation outliers:",
                "fold the norm gains (exact), score random Hadamard and Haar rotations on a",
                "calibration batch, keep the one with the smallest largest |activation|, verify",
                "the rotated model in ONNX Runtime, and report int8/int4 round-to-nearest",
                "quantisation error before and after (symmetric; weights per output channel,",
                "activations per tensor). Writes OUT and, next to it, OUT's element",
                "(.element.json) and report (.rotate.json, .rotate.html)."})
final class RotateCommand implements java.util.concurrent.Callable<Integer> {
    enum Objective { OUTLIERS }

    @Parameters(paramLabel = "MODEL", description = "An ONNX file (a transformer whose residual stream is read through norms, or through linear maps only).")
    Path model;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "Where to write the rotated model.")
    Path output;

    @Option(names = "--objective", defaultValue = "OUTLIERS", description = "What the rotation minimises: OUTLIERS, the largest |activation| of the residual stream (default).")
    Objective objective;

    @Option(names = "--calibration", defaultValue = "64", paramLabel = "N", description = "Random N(0,1) calibration samples (default ${DEFAULT-VALUE}); errors are measured on N others.")
    int calibration;

    @Option(names = "--candidates", defaultValue = "8", paramLabel = "K", description = "Random rotations tried per kind, Hadamard and Haar (default ${DEFAULT-VALUE}).")
    int candidates;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the candidates and of the calibration inputs (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--shape", paramLabel = "NAME=d1,d2,...", description = "Concrete shape of an input with dynamic dimensions other than the batch.")
    List<String> shapes = List.of();

    @Option(names = "--tolerance", defaultValue = "1e-4", description = "Maximum relative output error of the rotated model (default ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    boolean json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (calibration <= 0) throw new UserError(ExitCodes.USAGE, "--calibration must be positive");
        if (candidates <= 0) throw new UserError(ExitCodes.USAGE, "--candidates must be positive");
        if (!(tolerance >= 0)) throw new UserError(ExitCodes.USAGE, "--tolerance must be a non-negative number");
        new MoveOptionsPaths(output).check(model);
        Model original = OnnxImporter.read(model);
        InputOptions shapeOptions = new InputOptions();
        shapeOptions.shapes = shapes;
        Map<String, long[]> shapeMap = shapeOptions.shapeMap();
        Map<String, NdArray> calib = InputFactory.make(original, new InputSpec.Random(calibration, InputSpec.Distribution.NORMAL, seed), shapeMap);
        Map<String, NdArray> eval = InputFactory.make(original, new InputSpec.Random(calibration, InputSpec.Distribution.NORMAL, seed + 1), shapeMap);
        OutlierRotation.Result r;
        List<QuantFigures> quant;
        try (ProgressBar bar = ExperimentOptions.progress("rotations", 2L * candidates)) {
            try {
                r = OutlierRotation.run(original, calib, new OutlierRotation.Config(candidates, seed), bar::stepTo);
            } catch (IllegalArgumentException e) {
                throw new UserError(ExitCodes.USAGE, model + ": " + e.getMessage());
            }
            bar.setExtraMessage("quantising");
            quant = OutlierRotation.quantisation(original, r, calib, eval);
        }
        VerifyReport report = Verifier.compareInOrt(original, "original", r.rotated(), "rotated", calib,
                new InputSpec.Random(calibration, InputSpec.Distribution.NORMAL, seed).describe(), tolerance);
        boolean ok = report.passed() && !report.hasNonFinite();
        String base = output.getFileName().toString().replaceFirst("\\.onnx$", "");
        Path dir = output.toAbsolutePath().getParent();
        Path element = dir.resolve(base + ".element.json");
        Path jsonFile = dir.resolve(base + ".rotate.json");
        Path html = dir.resolve(base + ".rotate.html");
        Map<String, Object> result = result(r, quant, report, ok);
        if (ok) {
            OnnxExporter.write(r.rotated(), output);
            ElementFile.write(element, r.element(), r.analysis());
            AtomicFiles.writeString(jsonFile, Json.write(result) + "\n");
            html(r, quant, report).write(html);
        }
        var out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(result));
        } else {
            for (OutlierRotation.StreamResult s : r.streams()) {
                out.printf("stream %d (width %d): max |activation| %.4g → %.4g with %s #%d (best of %d candidates)%n", s.stream(), s.width(),
                        s.candidates().getFirst().maxActivation(), s.best().maxActivation(), s.best().kind(), s.best().index(), s.candidates().size() - 1);
                out.printf("  best hadamard %.4g, best haar %.4g%n", best(s, "hadamard"), best(s, "haar"));
            }
            out.printf("%-9s %10s %9s %9s %9s %9s %10s %10s%n", "model", "max|act|", "W int8", "W int4", "A int8", "A int4", "out W8A8", "out W4A4");
            for (QuantFigures q : quant) {
                out.printf("%-9s %10.4g %9.2e %9.2e %9.2e %9.2e %10.2e %10.2e%n", q.label(), q.maxActivation(), q.weightInt8(), q.weightInt4(),
                        q.activationInt8(), q.activationInt4(), q.outputInt8(), q.outputInt4());
            }
            out.println("errors: ‖x − RTN(x)‖/‖x‖, weights per output channel, activations (linear-layer inputs) per tensor, symmetric; "
                    + "out: the whole model quantised, against the float original, on " + calibration + " evaluation samples");
            out.print(ReportText.verify(report));
            out.println(ok ? "wrote " + output + ", " + element + ", " + jsonFile + ", " + html
                    : "not written: the rotated model does not match the original within the tolerance");
        }
        out.flush();
        if (report.hasNonFinite()) return ExitCodes.NUMERIC;
        return ok ? ExitCodes.OK : ExitCodes.VERIFY_FAILED;
    }

    /** The output checks every moving command makes (never overwrite the input). */
    private record MoveOptionsPaths(Path output) {
        void check(Path input) {
            try {
                if (Files.exists(output) && Files.isSameFile(output, input)) {
                    throw new UserError(ExitCodes.USAGE, "the output would overwrite the input model '" + input + "'; choose another -o");
                }
            } catch (java.io.IOException e) {
                throw new UserError(ExitCodes.OUTPUT, "cannot check output path '" + output + "': " + e.getMessage());
            }
        }
    }

    private static double best(OutlierRotation.StreamResult s, String kind) {
        return s.candidates().stream().filter(c -> c.kind().equals(kind)).mapToDouble(OutlierRotation.Candidate::maxActivation).min().orElse(Double.NaN);
    }

    private Map<String, Object> result(OutlierRotation.Result r, List<QuantFigures> quant, VerifyReport report, boolean ok) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model.toString());
        m.put("objective", objective.name().toLowerCase());
        m.put("calibration_samples", calibration);
        m.put("candidates_per_kind", candidates);
        m.put("seed", seed);
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
        m.put("quantisation", quant);
        m.put("quantisation_scheme", "symmetric round-to-nearest; weights per output channel, activations (inputs of linear layers) "
                + "per tensor with scales from the calibration batch; errors ‖x − x̂‖/‖x‖ averaged over linear layers, on a separate evaluation batch");
        m.put("verification", report);
        m.put("written", ok);
        return m;
    }

    private HtmlReport html(OutlierRotation.Result r, List<QuantFigures> quant, VerifyReport report) {
        HtmlReport h = new HtmlReport("Residual rotation against activation outliers");
        h.heading("What was done");
        h.paragraph(String.format("%s: norm gains folded into the linear maps (an exact rewrite), residual-stream activations recorded "
                + "on %d random N(0,1) samples, %d random Hadamard and %d Haar rotations scored by the largest |activation| "
                + "over the stream; the best one applied and verified in ONNX Runtime (max relative output error %.2e, tolerance %.0e).",
                model, calibration, candidates, candidates, report.worstRelError(), tolerance));
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
            if (!cands.isEmpty()) h.chart(Charts.lines("Candidates", "candidate", "max |activation|", idx, cands), "Each random rotation's largest |activation|.");
        }
        h.heading("Quantisation error (round to nearest, symmetric)");
        List<List<String>> rows = new ArrayList<>();
        for (QuantFigures q : quant) {
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
