package dev.orbit.cli;

import java.nio.file.Path;

import dev.orbit.Inputs;
import dev.orbit.Network;
import dev.orbit.Orbit;
import dev.orbit.report.Json;
import dev.orbit.verify.Tolerance;
import dev.orbit.verify.VerifyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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

    @Mixin
    JsonOption json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Ranges.tolerance(tolerance);
        Inputs in = inputs.inputs();
        Network reference = Orbit.load(a);
        VerifyReport report = b == null ? reference.verify(in, new Tolerance(tolerance))
                : reference.compareWith(Orbit.load(b), in, new Tolerance(tolerance));
        var out = spec.commandLine().getOut();
        out.print(json.json ? Json.write(report) + "\n" : report.toText());
        out.flush();
        if (report.hasNonFinite()) {
            spec.commandLine().getErr().println("orbit: a model produced NaN or infinity");
            return ExitCodes.NUMERIC;
        }
        return report.passed() ? ExitCodes.OK : ExitCodes.VERIFY_FAILED;
    }
}
