package dev.orbit.cli;

import dev.orbit.landscape.TeleportTraining;
import dev.orbit.landscape.TeleportTrainingExperiment;
import picocli.CommandLine.Option;

/** The teleport-training grid's options, shared by {@code orbit experiment teleport-training} and {@code orbit sweep teleport-training}. */
final class TeleportTrainingOptions {
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

    /** The configuration, checked; {@code quick} shrinks it. */
    TeleportTraining.Config config(boolean quick) {
        if (epochs <= 0 || seeds <= 0 || atEpoch < 0 || atEpoch >= epochs) {
            throw new UserError(ExitCodes.USAGE, "--epochs and --seeds must be positive and --at-epoch in [0, epochs)");
        }
        Architectures.check("mlp:784-" + hidden + "-10", "--hidden: ");
        var d = EXPERIMENT.defaults();
        var c = new TeleportTraining.Config(hidden, d.settings(), seeds, epochs, d.batch(), d.range(), atEpoch, d.trainSamples(), target);
        return quick ? EXPERIMENT.quick(c) : c;
    }
}
