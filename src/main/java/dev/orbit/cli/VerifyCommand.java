package dev.orbit.cli;

import java.nio.file.Path;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import dev.orbit.io.onnx.OnnxImporter;
import dev.orbit.verify.InputFactory;
import dev.orbit.verify.Verifier;
import dev.orbit.verify.VerifyReport;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Run two models on the same inputs in ONNX Runtime and compare every output.",
                "With one model: compare Orbit's own evaluator against ONNX Runtime.",
                "Relative error is |a-b|/(|a|+|b|+ε) per element with ε = max|reference output|;",
                "argmax agreement is over the last axis."})
final class VerifyCommand implements java.util.concurrent.Callable<Integer> {
    @Parameters(index = "0", paramLabel = "A", description = "Reference ONNX model.")
    Path a;

    @Parameters(index = "1", arity = "0..1", paramLabel = "B", description = "Candidate ONNX model (omit to test Orbit's evaluator on A).")
    Path b;

    @Mixin
    InputOptions inputs;

    @Option(names = "--tolerance", defaultValue = "1e-5", description = "Maximum relative error to pass (default ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!(tolerance >= 0)) throw new UserError(ExitCodes.USAGE, "--tolerance must be a non-negative number");
        var spec0 = inputs.spec();
        var modelA = OnnxImporter.read(a);
        if (b == null) modelA.graph().nodes().forEach(n -> dev.orbit.ops.standard.StandardOps.registry().require(n, modelA.opset()));
        var feeds = InputFactory.make(modelA, spec0, inputs.shapeMap());
        VerifyReport report = b == null
                ? Verifier.evaluatorVsOrt(modelA, a.toString(), feeds, spec0.describe(), tolerance)
                : Verifier.compareInOrt(modelA, a.toString(), OnnxImporter.read(b), b.toString(), feeds, spec0.describe(), tolerance);
        var out = spec.commandLine().getOut();
        out.print(json ? Json.write(report) + "\n" : ReportText.verify(report));
        out.flush();
        if (report.hasNonFinite()) {
            spec.commandLine().getErr().println("orbit: a model produced NaN or infinity");
            return ExitCodes.NUMERIC;
        }
        return report.passed() ? ExitCodes.OK : ExitCodes.VERIFY_FAILED;
    }
}
