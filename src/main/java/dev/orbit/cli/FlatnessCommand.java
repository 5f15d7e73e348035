package dev.orbit.cli;

import dev.orbit.landscape.Flatness;
import dev.orbit.landscape.FlatnessExperiment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "flatness", mixinStandardHelpOptions = true,
        description = {"Train two MLPs with batch 8 and batch 1024, then measure loss and accuracy along the straight",
                "line between them, before and after teleporting both (intra-landscape, r ∈ {0.1, 0.5, 0.9}).",
                "With --quick: 1,000 training digits, 5 points."})
final class FlatnessCommand implements java.util.concurrent.Callable<Integer> {
    static final FlatnessExperiment EXPERIMENT = new FlatnessExperiment();

    @Option(names = "--arch", defaultValue = "mlp:784-128-10:relu", description = "Architecture (default ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--points", defaultValue = "21", description = "Points on the line (default ${DEFAULT-VALUE}).")
    int points;

    @Mixin
    SeedOption seed;

    @Mixin
    ExperimentOptions experiment;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    Flatness.Config config() {
        var d = EXPERIMENT.defaults();
        var c = new Flatness.Config(arch, d.trainSamples(), d.smallBatchEpochs(), d.largeBatchEpochs(), d.ranges(), points, seed.seed);
        return experiment.quick ? EXPERIMENT.quick(c) : c;
    }

    @Override
    public Integer call() {
        if (points < 2) throw new UserError(ExitCodes.USAGE, "--points must be at least 2");
        Architectures.check(arch, "");
        return ExperimentRunner.runAndWrite(spec, EXPERIMENT, config(), experiment.output);
    }
}
