package dev.orbit.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import dev.orbit.io.onnx.OnnxExporter;
import dev.orbit.ode.OdeGaugeExperiment;
import dev.orbit.train.Trainer;
import me.tongfei.progressbar.ProgressBar;
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
    @Option(names = "--iterations", defaultValue = "300", description = "Adam iterations per model (default ${DEFAULT-VALUE}; --quick: 30).")
    int iterations;

    @Option(names = "--gauges", defaultValue = "4", description = "Random gauges per solver setting (default ${DEFAULT-VALUE}; --quick: 1).")
    int gauges;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of data, initialisation and gauges (default ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    ExperimentOptions experiment;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (iterations < 1 || iterations > 100_000) throw new UserError(ExitCodes.USAGE, "--iterations must be between 1 and 100000");
        if (gauges < 1 || gauges > 100) throw new UserError(ExitCodes.USAGE, "--gauges must be between 1 and 100");
        ExperimentOutput.prepare(experiment.output);
        var config = OdeGaugeExperiment.Config.of(experiment.quick, seed, experiment.quick ? 30 : iterations, experiment.quick ? 1 : gauges);
        OdeGaugeExperiment.Result r;
        try (ProgressBar bar = Progress.bar("ode-gauge", config.work())) {
            r = OdeGaugeExperiment.run(config, (name, model) -> OnnxExporter.write(model, experiment.output.resolve(name)), bar::stepTo);
        } catch (Trainer.NumericFailure e) {
            throw new UserError(ExitCodes.NUMERIC, e.getMessage());
        }
        ExperimentOutput.write(experiment.output, "ode-gauge", "x(T) is gauge invariant up to discretisation error", r, OdeGaugeReport.html(r));
        print(r, spec.commandLine().getOut());
        return ExitCodes.OK;
    }

    private void print(OdeGaugeExperiment.Result r, PrintWriter out) {
        for (var m : r.models()) {
            out.printf("%-9s neural ODE: train MSE %.4e, test MSE %.4e (best affine map %.4e)%n", m.name(), m.trainLoss(), m.testLoss(), r.affineFloor());
        }
        out.println("x(T) invariance error (worst over gauges) / fitted order in the step size:");
        for (var o : r.orders()) {
            double smallest = r.invariance().stream().filter(p -> p.model().equals(o.model()) && p.gauge().equals(o.gauge())
                    && p.solver().equals(o.solver())).mapToDouble(p -> p.invarianceError()).min().orElse(Double.NaN);
            out.printf("  %-9s %-7s %-6s smallest %.1e, order %.2f%n", o.model(), o.gauge(), o.solver(), smallest, o.slope());
        }
        var d = r.discrete();
        out.printf("discrete gauge = Orbit rescaling: max rel parameter difference %.1e (weights moved up to %.0f%%), ONNX Runtime "
                + "output difference %.1e%n", d.parameterDifference(), 100 * d.weightChange(), d.movedVsOriginal());
        for (var e : r.exports()) out.printf("exported %s: ONNX Runtime vs solver %.1e%n", e.file(), e.onnxRuntimeVsSolver());
        for (var f : r.fixing()) {
            out.printf("gauge fixing by %s%s: %.4e → %.4e, x(T) change %.1e%s%n", f.objective(), f.fromRandomGauge() ? " (from a random gauge)" : "",
                    f.before(), f.after(), f.endStateChange(), f.distanceToFixFromTrained() == null ? ""
                            : String.format(", w(t) within %.1f%% of the fix from the trained gauge", 100 * f.distanceToFixFromTrained()));
        }
        out.println(ExperimentOutput.wrote(experiment.output));
        out.flush();
    }
}
