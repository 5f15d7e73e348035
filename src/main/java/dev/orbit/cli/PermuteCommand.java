package dev.orbit.cli;

import java.nio.file.Path;

import dev.orbit.graph.Model;
import dev.orbit.io.onnx.OnnxImporter;
import dev.orbit.symmetry.GroupElement;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.symmetry.Sampling;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.symmetry.SymmetryAnalysis;
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
        move.checkPaths(model);
        Model m = OnnxImporter.read(model);
        SymmetryAnalysis a = SpaceAnalyzer.analyze(m);
        GroupElement g = Sampling.permutations(a, seed);
        Model moved = OrbitAction.apply(m, a, g);
        String what = String.format("permuted %s: %d permutation classes (seed %d)", model, g.permutations().size(), seed);
        return move.finish(spec, what, m, moved, a, g);
    }
}
