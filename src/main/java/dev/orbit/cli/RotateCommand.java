package dev.orbit.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.orbit.Element;
import dev.orbit.Inputs;
import dev.orbit.Network;
import dev.orbit.Orbit;
import dev.orbit.io.AtomicFiles;
import dev.orbit.quant.OutlierRotation;
import dev.orbit.quant.QuantFigures;
import dev.orbit.quant.RotationReport;
import dev.orbit.report.Json;
import dev.orbit.tensor.NdArray;
import dev.orbit.verify.InputSpec;
import dev.orbit.verify.Tolerance;
import dev.orbit.verify.VerifyReport;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rotate", mixinStandardHelpOptions = true,
        description = {"Rotate a transformer's residual stream to remove activation outliers:",
                "fold the norm gains (exact), score random Hadamard and Haar rotations on a",
                "calibration batch, keep the one with the smallest largest |activation|, verify",
                "the rotated model in ONNX Runtime, and report int8/int4 round-to-nearest",
                "quantisation error before and after (symmetric; weights per output channel,",
                "activations per tensor). Writes OUT and, next to it, OUT's element",
                "(.element.json) and report (.rotate.json, .rotate.html).",
                "MODEL may be a checkpoint folder of a LLaMA-style decoder: the residual stream is",
                "measured on random tokens (or --token-ids FILE) in the float64 reference forward, the",
                "rotation minimising the largest |activation| is written to OUT (a folder) and verified."})
final class RotateCommand implements java.util.concurrent.Callable<Integer> {
    enum Objective { OUTLIERS }

    @Parameters(paramLabel = "MODEL", description = "An ONNX file (a transformer whose residual stream is read through norms, or through linear maps only), or a checkpoint folder.")
    Path model;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "Where to write the rotated model.")
    Path output;

    @Option(names = "--objective", defaultValue = "OUTLIERS", description = "What the rotation minimises: OUTLIERS, the largest |activation| of the residual stream (default).")
    Objective objective;

    @Option(names = "--calibration", defaultValue = "64", paramLabel = "N", description = "Random N(0,1) calibration samples (default ${DEFAULT-VALUE}); errors are measured on N others.")
    int calibration;

    @Option(names = "--candidates", defaultValue = "8", paramLabel = "K", description = "Random rotations tried per kind, Hadamard and Haar (default ${DEFAULT-VALUE}).")
    int candidates;

    @Mixin
    SeedOption seed;

    @Option(names = "--shape", paramLabel = "NAME=d1,d2,...", description = "Concrete shape of an input with dynamic dimensions other than the batch.")
    List<String> shapes = List.of();

    @Option(names = "--tolerance", defaultValue = "1e-4", description = "Maximum relative output error of the rotated model (default ${DEFAULT-VALUE}).")
    double tolerance;

    @Mixin
    JsonOption json;

    @Mixin
    CheckpointOptions checkpoint;

    @Option(names = "--token-ids", paramLabel = "FILE", description = "Checkpoint folders: calibration token ids, one sequence per line (spaces or commas; cut to the shortest line). Default: --calibration random sequences of --calibration-length tokens.")
    Path tokenIds;

    @Option(names = "--calibration-length", defaultValue = "32", paramLabel = "T", description = "Checkpoint folders: tokens per random calibration sequence (default ${DEFAULT-VALUE}).")
    int calibrationLength;

    @Option(names = "--no-verify", description = "Checkpoint folders: skip the verification of the written folder.")
    boolean noVerify;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Ranges.positive(calibration, "--calibration");
        Ranges.positive(candidates, "--candidates");
        Ranges.tolerance(tolerance);
        OutputPaths.checkNotInput(output, model);
        if (CheckpointRun.isFolder(model)) return checkpoint();
        Network original = Orbit.load(model);
        Inputs calibrationInputs = random(seed.seed);
        Inputs evaluationInputs = random(seed.seed + 1);
        Map<String, NdArray> calib = calibrationInputs.feeds(original);
        Map<String, NdArray> eval = evaluationInputs.feeds(original);
        OutlierRotation.Result r;
        List<QuantFigures> quant;
        try (ProgressBar bar = Progress.bar("rotations", 2L * candidates)) {
            try {
                r = OutlierRotation.run(original.ir(), calib, new OutlierRotation.Config(candidates, seed.seed), bar::stepTo);
            } catch (IllegalArgumentException e) {
                throw new UserError(ExitCodes.USAGE, model + ": " + e.getMessage());
            }
            bar.setExtraMessage("quantising");
            quant = OutlierRotation.quantisation(original.ir(), r, calib, eval);
        }
        VerifyReport report = original.named("original").compareWith(Orbit.of(r.rotated(), "rotated"),
                Inputs.of(calib, calibrationInputs.describe()), new Tolerance(tolerance));
        boolean ok = report.passedAndFinite();
        String base = output.getFileName().toString().replaceFirst("\\.onnx$", "");
        Path dir = output.toAbsolutePath().getParent();
        Path element = dir.resolve(base + ".element.json");
        Path jsonFile = dir.resolve(base + ".rotate.json");
        Path html = dir.resolve(base + ".rotate.html");
        var run = new RotationReport.Run(model.toString(), calibration, candidates, seed.seed, tolerance, r, quant, report, ok);
        Map<String, Object> result = RotationReport.json(run);
        if (ok) {
            Orbit.of(r.rotated(), output.toString()).save(output);
            Element.of(r.element(), r.analysis()).save(element);
            AtomicFiles.writeString(jsonFile, Json.write(result) + "\n");
            RotationReport.html(run).write(html);
        }
        var out = spec.commandLine().getOut();
        if (json.json) {
            out.println(Json.write(result));
        } else {
            out.print(RotationReport.text(run));
            out.print(report.toText());
            out.println(ok ? "wrote " + output + ", " + element + ", " + jsonFile + ", " + html
                    : "not written: the rotated model does not match the original within the tolerance");
        }
        out.flush();
        if (report.hasNonFinite()) return ExitCodes.NUMERIC;
        return ok ? ExitCodes.OK : ExitCodes.VERIFY_FAILED;
    }

    private int checkpoint() {
        checkpoint.check();
        Ranges.positive(calibrationLength, "--calibration-length");
        try (var c = dev.orbit.checkpoint.Checkpoint.open(model)) {
            long[][] tokens = tokenIds != null ? CheckpointTokens.read(tokenIds)
                    : dev.orbit.checkpoint.CheckpointVerification.randomTokens(c.architecture().vocabSize(), calibration, calibrationLength, seed.seed);
            dev.orbit.checkpoint.OutlierCalibration.Result r;
            try {
                r = dev.orbit.checkpoint.OutlierCalibration.run(c, tokens, candidates, seed.seed);
            } catch (IllegalArgumentException e) {
                throw new UserError(ExitCodes.USAGE, model + ": " + e.getMessage());
            }
            var best = r.best();
            String what = "residual rotation: " + best.kind().name().toLowerCase() + " seed " + best.seed() + ", largest |activation| "
                    + String.format("%.4g → %.4g, kurtosis %.3g → %.3g", r.baseline().maxAbs(), best.maxAbs(), r.baseline().kurtosis(), best.kurtosis());
            java.util.Map<String, Object> facts = new java.util.LinkedHashMap<>();
            facts.put("objective", "outliers");
            facts.put("calibration", java.util.Map.of("sequences", tokens.length, "tokens", tokens[0].length, "source", tokenIds == null ? "random" : tokenIds.toString()));
            facts.put("baseline", java.util.Map.of("max_abs", r.baseline().maxAbs(), "kurtosis", r.baseline().kurtosis()));
            facts.put("candidates", r.candidates().stream().map(x -> java.util.Map.of("kind", x.kind().name(), "seed", x.seed(), "max_abs", x.maxAbs(),
                    "kurtosis", x.kurtosis())).toList());
            facts.put("chosen", java.util.Map.of("kind", best.kind().name(), "seed", best.seed(), "max_abs", best.maxAbs(), "kurtosis", best.kurtosis()));
            String text = String.format("calibration: %d sequences × %d tokens (%s); residual stream before: max |x| %.4g, kurtosis %.3g%n",
                    tokens.length, tokens[0].length, tokenIds == null ? "random tokens" : tokenIds, r.baseline().maxAbs(), r.baseline().kurtosis());
            for (var x : r.candidates()) text += String.format("  %-8s seed %-4d max |x| %.4g, kurtosis %.3g%n", x.kind().name().toLowerCase(), x.seed(), x.maxAbs(), x.kurtosis());
            var steps = java.util.List.of(new dev.orbit.checkpoint.CheckpointTeleport.Step(r.rotation(), what));
            return CheckpointRun.write(spec, c, steps, output, checkpoint, !noVerify, seed.seed, json.json, facts, text);
        }
    }

    private Inputs random(long inputSeed) {
        Inputs in = Inputs.random(calibration).distribution(InputSpec.Distribution.NORMAL).seed(inputSeed);
        for (var e : InputOptions.parseShapes(shapes).entrySet()) in = in.shape(e.getKey(), e.getValue());
        return in;
    }
}
