package dev.orbit.cli;

import picocli.CommandLine.Command;

/** Parent of the one-command experiments; each writes DIR/result.json, DIR/report.html and DIR/index.html. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Reproduce the neural-teleportation findings, with reports (result.json, report.html).",
        subcommands = {LevelCurvesCommand.class, MicroTeleportCommand.class, GradientScalingCommand.class,
                FlatnessCommand.class, TeleportTrainingCommand.class, OdeGaugeCommand.class})
final class ExperimentCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
