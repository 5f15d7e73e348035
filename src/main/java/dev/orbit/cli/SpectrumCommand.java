package dev.orbit.cli;

import dev.orbit.report.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import dev.orbit.graph.Model;
import dev.orbit.io.onnx.OnnxImporter;
import dev.orbit.spectra.BalancedPoint;
import dev.orbit.spectra.Eigenvalues;
import dev.orbit.spectra.EsdOptions;
import dev.orbit.spectra.ModelSpectrum;
import dev.orbit.spectra.OrbitSpectra;
import dev.orbit.symmetry.Sampling;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.tensor.NdArray;
import dev.orbit.verify.InputFactory;
import dev.orbit.verify.Verifier;
import dev.orbit.verify.VerifyReport;
import me.tongfei.progressbar.ProgressBar;
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

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the teleports and of the entry shuffles (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--svd", description = "Eigenvalues as squared singular values (linalg_svdvals) instead of eigvalsh of the Gram matrix: slower, more accurate for tiny eigenvalues.")
    boolean svd;

    @Option(names = "--tolerance", defaultValue = "1e-4", description = "Maximum relative output error of the balanced model (default ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Write result.json, report.html (log-log ESDs with fitted laws) and index.html here.")
    Path output;

    @Option(names = "--json", description = "Print one JSON object instead of tables.")
    boolean json;

    @Mixin
    InputOptions inputs;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Everything the command measured; written as result.json. */
    record Result(String model, String eigenvalueMethod, ModelSpectrum spectrum, Balanced balanced, OrbitSpectra orbit) {}

    /** The balanced point, its check in ONNX Runtime, and its spectra. */
    record Balanced(BalancedPoint point, VerifyReport verification, ModelSpectrum spectrum) {}

    @Override
    public Integer call() throws IOException {
        if (orbit != null && orbit < 1) throw new UserError(ExitCodes.USAGE, "--orbit wants a positive number of teleports, got " + orbit);
        if (!(tolerance >= 0)) throw new UserError(ExitCodes.USAGE, "--tolerance must be a non-negative number");
        if (orbit != null) {
            try {
                new Sampling.Cob(sampling, range, 1);
            } catch (IllegalArgumentException e) {
                throw new UserError(ExitCodes.USAGE, e.getMessage());
            }
        }
        if (output != null) ExperimentOutput.prepare(output);
        Model m = model == null ? dev.orbit.Orbit.bundledModel().ir() : OnnxImporter.read(model);
        String label = model == null ? "bundled mnist_mlp.onnx" : model.toString();
        EsdOptions esd = new EsdOptions(svd ? Eigenvalues.Method.SVD : Eigenvalues.Method.GRAM, seed);
        try {
            ModelSpectrum spectrum = spectra(m, esd);
            Balanced bal = balanced ? balance(m, esd) : null;
            OrbitSpectra study = null;
            if (orbit != null) {
                var config = new OrbitSpectra.Config(orbit, sampling, range, seed, balanced, esd);
                try (ProgressBar bar = Progress.bar("teleports", orbit)) {
                    study = OrbitSpectra.run(m, spectrum, bal == null ? null : bal.spectrum(), config, bar::stepTo);
                }
            }
            Result result = new Result(label, esd.method().name().toLowerCase(), spectrum, bal, study);
            var out = spec.commandLine().getOut();
            out.print(json ? Json.write(result) + "\n" : SpectrumText.of(result));
            if (output != null) {
                ExperimentOutput.write(output, "spectrum", "weight spectra of " + label, result, SpectrumReport.of(result));
                if (!json) out.println(ExperimentOutput.wrote(output));
            }
            out.flush();
            if (bal != null && bal.verification().hasNonFinite()) return ExitCodes.NUMERIC;
            return bal != null && !bal.verification().passed() ? ExitCodes.VERIFY_FAILED : ExitCodes.OK;
        } catch (ModelSpectrum.NonFiniteWeightsException e) {
            throw new UserError(ExitCodes.NUMERIC, e.getMessage());
        } catch (ArithmeticException e) {
            throw new UserError(ExitCodes.NUMERIC, "numeric failure: " + e.getMessage());
        }
    }

    /** Large models (over a million weight entries) get a progress bar over their layers: each takes two eigensolves. */
    private static ModelSpectrum spectra(Model m, EsdOptions esd) {
        var found = dev.orbit.spectra.WeightMatrices.find(m).matrices();
        long entries = found.stream().mapToLong(w -> w.rows() * w.cols() * w.slices()).sum();
        if (entries <= 1_000_000) return ModelSpectrum.of(m, esd);
        try (ProgressBar bar = Progress.bar("layers", found.size())) {
            return ModelSpectrum.of(m, esd, bar::stepTo);
        }
    }

    private Balanced balance(Model m, EsdOptions esd) {
        BalancedPoint point = BalancedPoint.of(m, SpaceAnalyzer.analyze(m));
        var in = inputs.inputs();
        VerifyReport check = Verifier.compareInOrt(m, "original", point.model(), "balanced", in.feeds(dev.orbit.Orbit.of(m, "")), in.describe(), tolerance);
        return new Balanced(point, check, spectra(point.model(), esd));
    }
}
