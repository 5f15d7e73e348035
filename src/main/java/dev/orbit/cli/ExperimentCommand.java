package dev.orbit.cli;

import picocli.CommandLine.Command;

/** Parent of the one-command experiments; each writes DIR/result.json, DIR/report.html and DIR/index.html. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Experiments along orbits with reports (result.json, report.html): the neural-teleportation findings and the gauge symmetries of neural ODEs.",
        subcommands = {LevelCurvesCommand.class, MicroTeleportCommand.class, GradientScalingCommand.class,
                FlatnessCommand.class, TeleportTrainingCommand.class, SymmetryTeleportCommand.class, OdeGaugeCommand.class,
                QuantizationCommand.class, ModeConnectivityCommand.class})
final class ExperimentCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
