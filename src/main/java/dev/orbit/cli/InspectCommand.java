package dev.orbit.cli;

import java.nio.file.Path;

import dev.orbit.io.onnx.OnnxImporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show a model's inputs, outputs, ops, parameter tensors and opset.")
final class InspectCommand implements java.util.concurrent.Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "An ONNX file.")
    Path model;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var summary = ModelSummary.of(model.toString(), OnnxImporter.read(model));
        spec.commandLine().getOut().print(json ? Json.write(summary) + "\n" : summary.toText());
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
