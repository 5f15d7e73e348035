package dev.orbit.cli;

import java.nio.file.Path;

import dev.orbit.symmetry.Sampling;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "permute", mixinStandardHelpOptions = true,
        description = "Permute the neurons of every permutable space at random; verified in ONNX Runtime.")
final class PermuteCommand implements java.util.concurrent.Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "An ONNX file.")
    Path model;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the permutations (default ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    MoveOptions move;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return move.move(spec, model, a -> Sampling.permutations(a, seed), (a, g) ->
                String.format("permuted %s: %d permutation classes (seed %d)", model, g.permutations().size(), seed));
    }
}
