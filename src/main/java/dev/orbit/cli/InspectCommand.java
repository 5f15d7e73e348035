package dev.orbit.cli;

import java.nio.file.Path;

import dev.orbit.ModelSummary;
import dev.orbit.Orbit;
import dev.orbit.report.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show a model's inputs, outputs, ops, parameter tensors and opset.")
final class InspectCommand implements java.util.concurrent.Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "An ONNX file.")
    Path model;

    @Mixin
    JsonOption json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ModelSummary summary = Orbit.load(model).summary();
        spec.commandLine().getOut().print(json.json ? Json.write(summary) + "\n" : summary.toText());
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
