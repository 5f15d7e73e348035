package dev.orbit.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "teleport-training", mixinStandardHelpOptions = true,
        description = {"Train with and without one teleportation (inter, r = 0.9) at initialisation (or at --at-epoch K),",
                "with a pseudo-teleportation control, over activations, learning rates, initialisers, SGD with and",
                "without momentum, several seeds; mean ± std accuracy curves and epochs to reach the target.",
                "--grid paper: MLP, CNN, VGG-style net and ResNet with SGD, momentum and Adam (docs/SWEEPS.md).",
                "With --quick: two settings per architecture, 2 seeds, 2 epochs, 1,000 digits. As a sweep: orbit sweep teleport-training."})
final class TeleportTrainingCommand implements java.util.concurrent.Callable<Integer> {
    static final dev.orbit.landscape.TeleportTrainingExperiment EXPERIMENT = TeleportTrainingOptions.EXPERIMENT;

    @Mixin
    TeleportTrainingOptions grid;

    @Mixin
    ExperimentOptions experiment;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    dev.orbit.landscape.TeleportTraining.Config config() { return grid.config(experiment.quick); }

    @Override
    public Integer call() {
        return ExperimentRunner.runAndWrite(spec, EXPERIMENT, config(), experiment.output);
    }
}
