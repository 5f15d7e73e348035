package dev.orbit.cli;

import dev.orbit.landscape.LevelCurves;
import dev.orbit.landscape.LevelCurvesExperiment;
import dev.orbit.symmetry.Sampling;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "level-curves", mixinStandardHelpOptions = true,
        description = {"Teleport a trained model many times (inter-landscape, r = 0.9 by default) and measure how far",
                "the weights move and how much test loss and accuracy change: teleportation walks a level curve.",
                "With --quick: 10 teleports on 500 test digits."})
final class LevelCurvesCommand implements java.util.concurrent.Callable<Integer> {
    static final LevelCurvesExperiment EXPERIMENT = new LevelCurvesExperiment();

    @Option(names = "--teleports", defaultValue = "100", description = "Number of teleports (default ${DEFAULT-VALUE}).")
    int teleports;

    @Option(names = "--cob-range", defaultValue = "0.9", description = "CoB range r (default ${DEFAULT-VALUE}).")
    double range;

    @Option(names = "--sampling", defaultValue = "INTER", description = "CoB sampling (default ${DEFAULT-VALUE}).")
    Sampling.Kind kind;

    @Mixin
    SeedOption seed;

    @Mixin
    ExperimentOptions experiment;

    @Mixin
    ExperimentOptions.ModelChoice modelChoice;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The configuration these options describe. */
    LevelCurvesExperiment.Config config() {
        var d = EXPERIMENT.defaults().run();
        var c = new LevelCurvesExperiment.Config(modelChoice.file(), new LevelCurves.Config(teleports, kind, range, seed.seed, d.testSamples()));
        return experiment.quick ? EXPERIMENT.quick(c) : c;
    }

    @Override
    public Integer call() {
        Ranges.positive(teleports, "--teleports");
        try {
            new Sampling.Cob(kind, range, 0);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
        return ExperimentRunner.runAndWrite(spec, EXPERIMENT, config(), experiment.output);
    }
}
