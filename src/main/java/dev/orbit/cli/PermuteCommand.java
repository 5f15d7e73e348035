package dev.orbit.cli;

import java.nio.file.Path;

import dev.orbit.Moves;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "permute", mixinStandardHelpOptions = true,
        description = "Permute the neurons of every permutable space at random; verified in ONNX Runtime.")
final class PermuteCommand implements java.util.concurrent.Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "An ONNX file.")
    Path model;

    @Mixin
    SeedOption seed;

    @Mixin
    MoveOptions move;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return move.move(spec, model, Moves.permute().seed(seed.seed));
    }
}
