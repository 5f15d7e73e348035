package dev.orbit.cli;

import dev.orbit.landscape.TeleportTraining;
import dev.orbit.landscape.TeleportTrainingExperiment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "teleport-training", mixinStandardHelpOptions = true,
        description = {"Train with and without one teleportation (inter, r = 0.9) at initialisation (or at --at-epoch K),",
                "with a pseudo-teleportation control, over activations, learning rates, initialisers, SGD with and",
                "without momentum, several seeds; mean ± std accuracy curves and epochs to reach the target.",
                "With --quick: two settings, 2 seeds, 2 epochs, 1,000 digits."})
final class TeleportTrainingCommand implements java.util.concurrent.Callable<Integer> {
    static final TeleportTrainingExperiment EXPERIMENT = new TeleportTrainingExperiment();

    @Option(names = "--epochs", defaultValue = "8", description = "Epochs per run (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--seeds", defaultValue = "5", description = "Seeds per setting (default ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--hidden", defaultValue = "128-128", description = "Hidden widths of the MLP (default ${DEFAULT-VALUE}).")
    String hidden;

    @Option(names = "--at-epoch", defaultValue = "0", description = "Teleport after this epoch instead of at initialisation (0 = at initialisation).")
    int atEpoch;

    @Option(names = "--target", defaultValue = "0.95", description = "Accuracy whose epoch is reported (default ${DEFAULT-VALUE}).")
    double target;

    @Mixin
    ExperimentOptions experiment;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    TeleportTraining.Config config() {
        var d = EXPERIMENT.defaults();
        var c = new TeleportTraining.Config(hidden, d.settings(), seeds, epochs, d.batch(), d.range(), atEpoch, d.trainSamples(), target);
        return experiment.quick ? EXPERIMENT.quick(c) : c;
    }

    @Override
    public Integer call() {
        if (epochs <= 0 || seeds <= 0 || atEpoch < 0 || atEpoch >= epochs) {
            throw new UserError(ExitCodes.USAGE, "--epochs and --seeds must be positive and --at-epoch in [0, epochs)");
        }
        Architectures.check("mlp:784-" + hidden + "-10", "--hidden: ");
        return ExperimentRunner.runAndWrite(spec, EXPERIMENT, config(), experiment.output);
    }
}
