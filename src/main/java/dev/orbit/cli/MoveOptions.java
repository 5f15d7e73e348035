package dev.orbit.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.orbit.Move;
import dev.orbit.Moved;
import dev.orbit.Network;
import dev.orbit.Orbit;
import dev.orbit.report.Json;
import dev.orbit.verify.NoiseRule;
import dev.orbit.verify.Tolerance;
import dev.orbit.verify.VerificationRule;
import dev.orbit.verify.VerifyReport;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What every command that moves a model shares: output, verification in ONNX Runtime, saving the element. */
final class MoveOptions {
    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "Where to write the moved model.")
    Path output;

    @Option(names = "--no-verify", description = "Skip the check in ONNX Runtime.")
    boolean noVerify;

    @Option(names = "--tolerance", paramLabel = "T", description = "A fixed bound instead of the noise rule: maximum relative "
            + "output error against the original in float32 ONNX Runtime (before issue 15 the default, 1e-4).")
    Double tolerance;

    @Option(names = "--noise-factor", paramLabel = "K", defaultValue = "16", description = "The noise rule's k: per output, the moved "
            + "model's float32 error against the original in float64 may be k x the original's own float32 error + floor (default ${DEFAULT-VALUE}).")
    double noiseFactor;

    @Option(names = "--noise-floor", paramLabel = "F", defaultValue = "1e-6", description = "The noise rule's floor (default ${DEFAULT-VALUE}).")
    double noiseFloor;

    @Option(names = "--save-element", paramLabel = "FILE", description = "Write the group element as JSON (replay or undo with 'orbit apply').")
    Path saveElement;

    @Mixin
    JsonOption json;

    @Mixin
    InputOptions inputs;

    /** Checks the tolerance and that the output does not overwrite the input, then reads the model. */
    Network load(Path input) {
        if (tolerance != null) Ranges.tolerance(tolerance);
        if (!(noiseFactor >= 1) || Double.isInfinite(noiseFactor)) throw new UserError(ExitCodes.USAGE, "--noise-factor must be a finite number >= 1");
        if (!(noiseFloor >= 0) || Double.isInfinite(noiseFloor)) throw new UserError(ExitCodes.USAGE, "--noise-floor must be a finite non-negative number");
        OutputPaths.checkNotInput(output, input);
        return Orbit.load(input);
    }

    /** --tolerance T: the fixed bound; otherwise the noise rule (docs/VERIFICATION.md). */
    VerificationRule rule() { return tolerance != null ? new Tolerance(tolerance) : new NoiseRule(noiseFactor, noiseFloor); }

    /** The whole move: read, analyse, pick the element, act, verify, write; returns the exit code. */
    int move(picocli.CommandLine.Model.CommandSpec spec, Path input, Move move) {
        return finish(spec, load(input).move(move));
    }

    /** Verifies (unless skipped), then writes the model and the element; prints the result; returns the exit code. */
    int finish(picocli.CommandLine.Model.CommandSpec spec, Moved moved) {
        var out = spec.commandLine().getOut();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("move", moved.description());
        result.putAll(moved.facts());
        result.put("relative_weight_change", moved.weightChange());
        var perTensor = moved.weightChangePerTensor();
        result.put("weight_change_per_tensor", perTensor);
        VerifyReport report = null;
        if (!noVerify) {
            report = moved.verify(inputs.inputs(), rule());
            result.put("verification", report);
        }
        boolean ok = report == null || report.passedAndFinite();
        if (ok) {
            moved.save(output);
            if (saveElement != null) moved.saveElement(saveElement);
            result.put("output", output.toString());
        }
        if (json.json) {
            out.println(Json.write(result));
        } else {
            out.printf("%s%n", moved.description());
            out.printf("relative weight change mean|V-W|/mean|W|: %.4f%n", (double) result.get("relative_weight_change"));
            out.printf("per tensor ||V-W||/||W||: median %.4f, max %.4f (%s), %d of %d tensors changed%n", perTensor.median(),
                    perTensor.max(), perTensor.maxTensor(), perTensor.changed(), perTensor.tensors());
            if (report != null) out.print(report.toText());
            else out.println("verification skipped (--no-verify)");
            out.println(ok ? "wrote " + output + (saveElement != null ? " and " + saveElement : "")
                    : "not written: the moved model does not match the original within " + (tolerance != null ? "the tolerance" : "the noise rule"));
        }
        out.flush();
        if (report != null && report.hasNonFinite()) return ExitCodes.NUMERIC;
        return ok ? ExitCodes.OK : ExitCodes.VERIFY_FAILED;
    }
}
