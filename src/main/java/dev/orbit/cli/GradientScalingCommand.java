package dev.orbit.cli;

import dev.orbit.landscape.GradientScaling;
import dev.orbit.landscape.GradientScalingExperiment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "gradient-scaling", mixinStandardHelpOptions = true,
        description = {"Normalised gradient difference |‖∇V‖/‖V‖ − ‖∇W‖/‖W‖| after intra-landscape teleports, for CoB ranges",
                "from 0.01 to 0.9: how much teleportation changes the landscape, as a function of the range.",
                "With --quick: 4 ranges × 3 teleports."})
final class GradientScalingCommand implements java.util.concurrent.Callable<Integer> {
    static final GradientScalingExperiment EXPERIMENT = new GradientScalingExperiment();

    @Option(names = "--ranges", defaultValue = "15", description = "Number of ranges between 0.01 and 0.9 (default ${DEFAULT-VALUE}).")
    int ranges;

    @Option(names = "--teleports", defaultValue = "20", description = "Teleports per range (default ${DEFAULT-VALUE}).")
    int teleports;

    @Option(names = "--batch", defaultValue = "256", description = "Batch of test digits for the gradients (default ${DEFAULT-VALUE}).")
    int batch;

    @Mixin
    SeedOption seed;

    @Mixin
    ExperimentOptions experiment;

    @Mixin
    ExperimentOptions.ModelChoice modelChoice;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    GradientScalingExperiment.Config config() {
        var c = new GradientScalingExperiment.Config(modelChoice.file(),
                new GradientScaling.Config(GradientScaling.paperRanges(ranges), teleports, batch, seed.seed));
        return experiment.quick ? EXPERIMENT.quick(c) : c;
    }

    @Override
    public Integer call() {
        if (ranges < 2 || teleports <= 0 || batch <= 0) throw new UserError(ExitCodes.USAGE, "--ranges ≥ 2, --teleports and --batch > 0");
        return ExperimentRunner.runAndWrite(spec, EXPERIMENT, config(), experiment.output);
    }
}
