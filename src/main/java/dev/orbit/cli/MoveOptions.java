package dev.orbit.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.orbit.graph.Model;
import dev.orbit.io.onnx.OnnxExporter;
import dev.orbit.symmetry.ElementFile;
import dev.orbit.symmetry.GroupElement;
import dev.orbit.symmetry.SymmetryAnalysis;
import dev.orbit.tensor.NdArray;
import dev.orbit.verify.InputFactory;
import dev.orbit.verify.Verifier;
import dev.orbit.verify.VerifyReport;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What every command that moves a model shares: output, verification in ONNX Runtime, saving the element. */
final class MoveOptions {
    /** Moves with factors far from 1 amplify float32 rounding; 1e-4 relative (ε = output scale) by default. */
    static final double DEFAULT_MOVE_TOLERANCE = 1e-4;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "Where to write the moved model.")
    Path output;

    @Option(names = "--no-verify", description = "Skip the check in ONNX Runtime.")
    boolean noVerify;

    @Option(names = "--tolerance", defaultValue = "1e-4", description = "Maximum relative output error (default ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(names = "--save-element", paramLabel = "FILE", description = "Write the group element as JSON (replay or undo with 'orbit apply').")
    Path saveElement;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Mixin
    InputOptions inputs;

    void checkPaths(Path input) {
        if (!(tolerance >= 0)) throw new UserError(ExitCodes.USAGE, "--tolerance must be a non-negative number");
        try {
            if (Files.exists(output) && Files.isSameFile(output, input)) {
                throw new UserError(ExitCodes.USAGE, "the output would overwrite the input model '" + input + "'; choose another -o");
            }
        } catch (java.io.IOException e) {
            throw new UserError(ExitCodes.OUTPUT, "cannot check output path '" + output + "': " + e.getMessage());
        }
    }

    /** The whole move: read, analyse, pick the element, act, verify, write. */
    int move(picocli.CommandLine.Model.CommandSpec spec, Path input,
             java.util.function.Function<SymmetryAnalysis, GroupElement> pick,
             java.util.function.BiFunction<SymmetryAnalysis, GroupElement, String> describe) {
        return move(spec, input, java.util.function.UnaryOperator.identity(), pick, describe, (a, g) -> Map.of());
    }

    /**
     * The same with an exact preparatory rewrite of the model first (norm folding) and extra facts for the
     * result (condition numbers); verification compares the moved model with the file as it was read.
     */
    int move(picocli.CommandLine.Model.CommandSpec spec, Path input, java.util.function.UnaryOperator<Model> prepare,
             java.util.function.Function<SymmetryAnalysis, GroupElement> pick,
             java.util.function.BiFunction<SymmetryAnalysis, GroupElement, String> describe,
             java.util.function.BiFunction<SymmetryAnalysis, GroupElement, Map<String, Object>> facts) {
        checkPaths(input);
        Model original = dev.orbit.io.onnx.OnnxImporter.read(input);
        Model m = prepare.apply(original);
        SymmetryAnalysis a = dev.orbit.symmetry.SpaceAnalyzer.analyze(m);
        GroupElement g = pick.apply(a);
        Model moved = dev.orbit.symmetry.OrbitAction.apply(m, a, g);
        return finish(spec, describe.apply(a, g), original, moved, a, g, facts.apply(a, g));
    }

    /** Verifies (unless skipped), then writes the model and the element; returns the exit code. */
    int finish(picocli.CommandLine.Model.CommandSpec spec, String what, Model original, Model moved,
               SymmetryAnalysis a, GroupElement g) {
        return finish(spec, what, original, moved, a, g, Map.of());
    }

    int finish(picocli.CommandLine.Model.CommandSpec spec, String what, Model original, Model moved,
               SymmetryAnalysis a, GroupElement g, Map<String, Object> facts) {
        var out = spec.commandLine().getOut();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("move", what);
        result.putAll(facts);
        result.put("relative_weight_change", dev.orbit.verify.WeightChange.relative(original, moved));
        var perTensor = dev.orbit.verify.WeightChange.perTensor(original, moved);
        result.put("weight_change_per_tensor", perTensor);
        VerifyReport report = null;
        if (!noVerify) {
            var spec0 = inputs.spec();
            Map<String, NdArray> feeds = InputFactory.make(original, spec0, inputs.shapeMap());
            report = Verifier.compareInOrt(original, "original", moved, "moved", feeds, spec0.describe(), tolerance);
            result.put("verification", report);
        }
        boolean ok = report == null || report.passed() && !report.hasNonFinite();
        if (ok) {
            OnnxExporter.write(moved, output);
            if (saveElement != null) ElementFile.write(saveElement, g, a);
            result.put("output", output.toString());
        }
        if (json) {
            out.println(Json.write(result));
        } else {
            out.printf("%s%n", what);
            out.printf("relative weight change mean|V-W|/mean|W|: %.4f%n", (double) result.get("relative_weight_change"));
            out.printf("per tensor ||V-W||/||W||: median %.4f, max %.4f (%s), %d of %d tensors changed%n", perTensor.median(),
                    perTensor.max(), perTensor.maxTensor(), perTensor.changed(), perTensor.tensors());
            if (report != null) out.print(ReportText.verify(report));
            else out.println("verification skipped (--no-verify)");
            out.println(ok ? "wrote " + output + (saveElement != null ? " and " + saveElement : "")
                    : "not written: the moved model does not match the original within the tolerance");
        }
        out.flush();
        if (report != null && report.hasNonFinite()) return ExitCodes.NUMERIC;
        return ok ? ExitCodes.OK : ExitCodes.VERIFY_FAILED;
    }
}
