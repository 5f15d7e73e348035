package dev.orbit.cli;

import java.nio.file.Path;

import dev.orbit.Orbit;
import dev.orbit.Symmetries;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "symmetries", mixinStandardHelpOptions = true,
        description = {"List a model's neuron spaces and the group acting on each: permutations, scalings",
                "(NONZERO = any non-zero factor, activations rewritten as τ·σ(x/τ) where needed; POSITIVE = positive",
                "factors only; NONE = fixed), the parameter axes each touches, and why frozen spaces are frozen."})
final class SymmetriesCommand implements java.util.concurrent.Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "An ONNX file, or a checkpoint folder (config.json + *.safetensors): its family's symmetries.")
    Path model;

    @Mixin
    JsonOption json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        if (CheckpointRun.isFolder(model)) {
            try (var c = dev.orbit.checkpoint.Checkpoint.open(model)) {
                if (json.json) out.println(dev.orbit.report.Json.write(dev.orbit.checkpoint.CheckpointSymmetries.json(c)));
                else out.print(dev.orbit.checkpoint.CheckpointSymmetries.text(c));
            }
            out.flush();
            return ExitCodes.OK;
        }
        Symmetries s = Orbit.load(model).symmetries();
        if (json.json) out.println(s.toJson());
        else out.print(s);
        out.flush();
        return ExitCodes.OK;
    }
}
