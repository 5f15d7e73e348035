package dev.orbit.cli;

import java.nio.file.Path;
import java.util.Map;

import dev.orbit.experiment.ExperimentFiles;
import dev.orbit.report.Json;
import dev.orbit.spectra.ModelSpectrum;
import dev.orbit.spectra.SpectrumExperiment;
import dev.orbit.symmetry.Sampling;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "spectrum", mixinStandardHelpOptions = true,
        description = {"Weight spectra per layer: eigenvalues of WᵀW (float64), norms, stable rank, entropy,",
                "power-law α (Clauset–Shalizi–Newman scan), Marchenko–Pastur fit and spikes, entry-shuffled ESD",
                "and correlation traps. --orbit K: which metrics a function-preserving move changes;",
                "--balanced: the metrics at the canonical balanced point (checked in ONNX Runtime on the",
                "input options below). Without MODEL: the bundled MNIST classifier."})
final class SpectrumCommand implements java.util.concurrent.Callable<Integer> {
    static final SpectrumExperiment EXPERIMENT = new SpectrumExperiment();

    @Parameters(paramLabel = "MODEL", arity = "0..1", description = "An ONNX file (default: the bundled mnist_mlp.onnx).")
    Path model;

    @Option(names = "--orbit", paramLabel = "K", description = "Teleport the model K times (and permute it K times) and show each metric's spread over the orbit.")
    Integer orbit;

    @Option(names = "--balanced", description = "Also the metrics at the balanced point: per-neuron positive scaling that equalises incoming and outgoing norms (verified in ONNX Runtime).")
    boolean balanced;

    @Option(names = "--cob-range", defaultValue = "0.9", paramLabel = "R", description = "CoB range of the teleports (default ${DEFAULT-VALUE}).")
    double range;

    @Option(names = "--sampling", defaultValue = "INTER", description = "CoB sampling of the teleports (default ${DEFAULT-VALUE}: ±U[1-r, 1+r]; negative factors rewrite activations as τ·σ(x/τ)).")
    Sampling.Kind sampling;

    @Mixin
    SeedOption seed;

    @Option(names = "--svd", description = "Eigenvalues as squared singular values (linalg_svdvals) instead of eigvalsh of the Gram matrix: slower, more accurate for tiny eigenvalues.")
    boolean svd;

    @Option(names = "--tolerance", defaultValue = "1e-4", description = "Maximum relative output error of the balanced model (default ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Write result.json, report.html (log-log ESDs with fitted laws) and index.html here.")
    Path output;

    @Mixin
    JsonOption json;

    @Mixin
    InputOptions inputs;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The configuration these options describe; the input options only matter (and are only checked) with --balanced. */
    SpectrumExperiment.Config config() {
        var d = EXPERIMENT.defaults();
        return new SpectrumExperiment.Config(model == null ? null : model.toString(), orbit, balanced, sampling, range, seed.seed, svd, tolerance,
                balanced ? inputs.spec() : d.inputs(), balanced ? inputs.shapeMap() : Map.of());
    }

    @Override
    public Integer call() {
        if (orbit != null && orbit < 1) throw new UserError(ExitCodes.USAGE, "--orbit wants a positive number of teleports, got " + orbit);
        Ranges.tolerance(tolerance);
        if (orbit != null) {
            try {
                new Sampling.Cob(sampling, range, 1);
            } catch (IllegalArgumentException e) {
                throw new UserError(ExitCodes.USAGE, e.getMessage());
            }
        }
        var config = config();
        if (output != null) ExperimentFiles.prepare(output);
        var out = spec.commandLine().getOut();
        SpectrumExperiment.Result result;
        try {
            result = ExperimentRunner.run(EXPERIMENT, config, output, out);
        } catch (ModelSpectrum.NonFiniteWeightsException e) {
            throw new UserError(ExitCodes.NUMERIC, e.getMessage());
        } catch (ArithmeticException e) {
            throw new UserError(ExitCodes.NUMERIC, "numeric failure: " + e.getMessage());
        }
        out.print(json.json ? Json.write(result) + "\n" : EXPERIMENT.summary(result));
        if (output != null) {
            ExperimentFiles.write(output, EXPERIMENT, result);
            if (!json.json) out.println(ExperimentFiles.wrote(output));
        }
        out.flush();
        return ExperimentRunner.exitCode(EXPERIMENT.verdict(result));
    }
}
