package dev.orbit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.Function;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import dev.orbit.experiment.Experiment;
import dev.orbit.report.Json;
import picocli.CommandLine;

/**
 * The command line's option defaults are the experiments' own presets: without options a command runs
 * {@code defaults()}, with --quick {@code quick(defaults())}. (picocli needs the defaults as strings in annotations;
 * this keeps the two from drifting apart.)
 */
class ExperimentDefaultsTest {
    @Test
    void optionDefaultsAreTheExperimentsPresets() {
        same(LevelCurvesCommand::new, LevelCurvesCommand.EXPERIMENT, LevelCurvesCommand::config);
        same(MicroTeleportCommand::new, MicroTeleportCommand.EXPERIMENT, MicroTeleportCommand::config);
        same(GradientScalingCommand::new, GradientScalingCommand.EXPERIMENT, GradientScalingCommand::config);
        same(FlatnessCommand::new, FlatnessCommand.EXPERIMENT, FlatnessCommand::config);
        same(TeleportTrainingCommand::new, TeleportTrainingCommand.EXPERIMENT, TeleportTrainingCommand::config);
        same(OdeGaugeCommand::new, OdeGaugeCommand.EXPERIMENT, OdeGaugeCommand::config);
        same(SpectrumCommand::new, SpectrumCommand.EXPERIMENT, SpectrumCommand::config);
        same(KernelCommand::new, KernelCommand.EXPERIMENT, KernelCommand::config);
        same(HyperbolicTrainCommand::new, HyperbolicTrainCommand.EXPERIMENT, HyperbolicTrainCommand::config);
        same(HyperbolicEnsembleCommand::new, HyperbolicEnsembleCommand.EXPERIMENT, HyperbolicEnsembleCommand::config);
        same(QuantizationCommand::new, QuantizationCommand.EXPERIMENT, QuantizationCommand::config);
        same(ModeConnectivityCommand::new, ModeConnectivityCommand.EXPERIMENT, ModeConnectivityCommand::config);
    }

    private static <T, C> void same(Supplier<T> command, Experiment<C, ?> e, Function<T, C> config) {
        assertEquals(Json.write(e.defaults()), Json.write(config.apply(parse(command.get(), "-o", "x"))), e.name() + " defaults");
        if (!e.name().equals("spectrum") && !e.name().equals("kernel")) {
            assertEquals(Json.write(e.quick(e.defaults())), Json.write(config.apply(parse(command.get(), "-o", "x", "--quick"))), e.name() + " --quick");
        }
    }

    private static <T> T parse(T command, String... args) {
        new CommandLine(command).parseArgs(args);
        return command;
    }
}
