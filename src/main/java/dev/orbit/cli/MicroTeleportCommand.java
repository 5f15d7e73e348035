package dev.orbit.cli;

import dev.orbit.landscape.MicroTeleport;
import dev.orbit.landscape.MicroTeleportExperiment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "micro-teleport", mixinStandardHelpOptions = true,
        description = {"Angles between micro-teleportation directions (r = 0.001) and back-propagated gradients, with",
                "random-direction controls, on MNIST and on random data with random labels, batch sizes 8 and 64.",
                "With --quick: 10 micro-teleports per case."})
final class MicroTeleportCommand implements java.util.concurrent.Callable<Integer> {
    static final MicroTeleportExperiment EXPERIMENT = new MicroTeleportExperiment();

    @Option(names = "--teleports", defaultValue = "100", description = "Micro-teleports per case (default ${DEFAULT-VALUE}).")
    int teleports;

    @Option(names = "--cob-range", defaultValue = "0.001", description = "CoB range r (default ${DEFAULT-VALUE}).")
    double range;

    @Mixin
    SeedOption seed;

    @Mixin
    ExperimentOptions experiment;

    @Mixin
    ExperimentOptions.ModelChoice modelChoice;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    MicroTeleportExperiment.Config config() {
        var d = EXPERIMENT.defaults().run();
        var c = new MicroTeleportExperiment.Config(modelChoice.file(), new MicroTeleport.Config(teleports, range, d.batchSizes(), seed.seed));
        return experiment.quick ? EXPERIMENT.quick(c) : c;
    }

    @Override
    public Integer call() {
        Ranges.positive(teleports, "--teleports");
        if (!(range > 0 && range < 1)) throw new UserError(ExitCodes.USAGE, "--cob-range must be in (0, 1)");
        return ExperimentRunner.runAndWrite(spec, EXPERIMENT, config(), experiment.output);
    }
}
