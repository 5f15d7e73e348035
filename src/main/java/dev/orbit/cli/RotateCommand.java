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

    @Mixin
    SeedOption seed;

    @Option(names = "--shape", paramLabel = "NAME=d1,d2,...", description = "Concrete shape of an input with dynamic dimensions other than the batch.")
    List<String> shapes = List.of();

    @Option(names = "--tolerance", defaultValue = "1e-4", description = "Maximum relative output error of the rotated model (default ${DEFAULT-VALUE}).")
    double tolerance;

    @Mixin
    JsonOption json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Ranges.positive(calibration, "--calibration");
        Ranges.positive(candidates, "--candidates");
        Ranges.tolerance(tolerance);
        OutputPaths.checkNotInput(output, model);
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

    private Inputs random(long inputSeed) {
        Inputs in = Inputs.random(calibration).distribution(InputSpec.Distribution.NORMAL).seed(inputSeed);
        for (var e : InputOptions.parseShapes(shapes).entrySet()) in = in.shape(e.getKey(), e.getValue());
        return in;
    }
}
