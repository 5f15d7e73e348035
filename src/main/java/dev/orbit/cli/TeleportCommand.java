package dev.orbit.cli;

import java.nio.file.Path;

import dev.orbit.symmetry.Sampling;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "teleport", mixinStandardHelpOptions = true,
        description = {"Move a model to a random point of its orbit: a random change of basis on every free neuron",
                "space (and random permutations with --permute), written as plain ONNX and verified in ONNX Runtime."})
final class TeleportCommand implements java.util.concurrent.Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "An ONNX file.")
    Path model;

    @Option(names = "--cob-range", defaultValue = "0.5", paramLabel = "R", description = "Range r of the change-of-basis factors (default ${DEFAULT-VALUE}).")
    double range;

    @Option(names = "--sampling", defaultValue = "INTRA", description = "INTRA U[1-r,1+r] (default), INTER ±U[1-r,1+r], POSITIVE U[0,r], NEGATIVE U[-r,0], CENTERED U[c-r,c+r].")
    Sampling.Kind kind;

    @Option(names = "--center", defaultValue = "1", paramLabel = "C", description = "Centre c for CENTERED sampling (default ${DEFAULT-VALUE}).")
    double centre;

    @Option(names = "--permute", description = "Also permute every permutable space.")
    boolean permute;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the move (default ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    MoveOptions move;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Sampling.Cob cob;
        try {
            cob = new Sampling.Cob(kind, range, centre);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
        return move.move(spec, model, a -> permute ? Sampling.both(a, cob, seed) : Sampling.scales(a, cob, seed),
                (a, g) -> String.format("teleported %s: %d of %d spaces scaled (%s, r = %s, seed %d)%s", model,
                        g.scales().size(), a.spaces().size(), kind.name().toLowerCase(), range, seed,
                        permute ? ", " + g.permutations().size() + " permutation classes permuted" : ""));
    }
}
