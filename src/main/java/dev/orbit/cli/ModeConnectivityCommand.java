package dev.orbit.cli;

import java.util.List;

import dev.orbit.identity.ModeConnectivity;
import dev.orbit.identity.ModeConnectivityExperiment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "mode-connectivity", mixinStandardHelpOptions = true,
        description = {"Train models from seeds 0, 1, 2 per architecture, then measure loss and accuracy on the held-out digits along",
                "the straight line between every pair: naive, weight-matched and activation-matched (orbit align), each also with",
                "REPAIR or a BatchNorm reset; reports the loss barrier and the midpoint accuracy (docs/ALIGNMENT.md).",
                "With --quick: 1 epoch on 2,000 digits, 7 points on 500 test digits."})
final class ModeConnectivityCommand implements java.util.concurrent.Callable<Integer> {
    static final ModeConnectivityExperiment EXPERIMENT = new ModeConnectivityExperiment();

    @Option(names = "--arch", split = ";", paramLabel = "SPEC", description = "Architectures, separated by ';' (default: "
            + ModeConnectivityExperiment.MLP + ";" + ModeConnectivityExperiment.CNN + ").")
    List<String> archs;

    @Option(names = "--seeds", defaultValue = "3", description = "Models per architecture (default ${DEFAULT-VALUE}; pairs: every two).")
    int seeds;

    @Option(names = "--epochs", description = "Training epochs (default 5; --quick: 1).")
    Integer epochs;

    @Option(names = "--points", description = "Points on each path, odd (default 25; --quick: 7).")
    Integer points;

    @Option(names = "--lr", description = "Peak learning rate of the cosine schedule (default 0.1; the BatchNorm CNN "
            + "is stable at 0.05: docs/ALIGNMENT.md).")
    Double lr;

    @Mixin
    ExperimentOptions experiment;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The configuration these options describe; IllegalArgumentException for seeds or points out of range. */
    ModeConnectivity.Config config() {
        var d = EXPERIMENT.defaults();
        var c = new ModeConnectivity.Config(archs == null ? d.archs() : archs, seeds, d.epochs(), d.trainSamples(), d.alignSamples(),
                d.testSamples(), d.points(), d.lr(), d.batch());
        if (experiment.quick) c = EXPERIMENT.quick(c);
        return new ModeConnectivity.Config(c.archs(), c.seeds(), epochs == null ? c.epochs() : epochs, c.trainSamples(), c.alignSamples(),
                c.testSamples(), points == null ? c.points() : points, lr == null ? c.lr() : lr, c.batch());
    }

    @Override
    public Integer call() {
        ModeConnectivity.Config config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
        for (String a : config.archs()) Architectures.check(a, "");
        return ExperimentRunner.runAndWrite(spec, EXPERIMENT, config, experiment.output);
    }
}
