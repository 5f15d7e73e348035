package dev.orbit.cli;

import java.util.concurrent.Callable;

import dev.orbit.ode.OdeGaugeExperiment;
import dev.orbit.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "ode-gauge", mixinStandardHelpOptions = true,
        description = {"Gauge symmetries of neural ODEs. Trains a linear and a non-linear neural ODE",
                "(2-D twist regression) through the solver; measures x(T) invariance under random",
                "spatial and time gauges against solver (Euler, RK4, Dormand-Prince) and step",
                "size; checks the discrete spatial gauge against Orbit's per-neuron rescaling",
                "of the unrolled Euler chain; exports the unrolled models to ONNX; fixes a gauge",
                "by weight decay and by the linear-transport regulariser. Writes DIR/result.json,",
                "DIR/report.html, DIR/index.html and the ONNX models. --quick: seconds, for tests."})
final class OdeGaugeCommand implements Callable<Integer> {
    static final OdeGaugeExperiment EXPERIMENT = new OdeGaugeExperiment();

    @Option(names = "--iterations", defaultValue = "300", description = "Adam iterations per model (default ${DEFAULT-VALUE}; --quick: 30).")
    int iterations;

    @Option(names = "--gauges", defaultValue = "4", description = "Random gauges per solver setting (default ${DEFAULT-VALUE}; --quick: 1).")
    int gauges;

    @Mixin
    SeedOption seed;

    @Mixin
    ExperimentOptions experiment;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    OdeGaugeExperiment.Config config() {
        var c = OdeGaugeExperiment.Config.of(false, seed.seed, iterations, gauges);
        return experiment.quick ? EXPERIMENT.quick(c) : c;
    }

    @Override
    public Integer call() {
        Ranges.within(iterations, 1, 100_000, "--iterations must be between 1 and 100000");
        Ranges.within(gauges, 1, 100, "--gauges must be between 1 and 100");
        try {
            return ExperimentRunner.runAndWrite(spec, EXPERIMENT, config(), experiment.output);
        } catch (Trainer.NumericFailure e) {
            throw new UserError(ExitCodes.NUMERIC, e.getMessage());
        }
    }
}
