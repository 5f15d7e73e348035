package dev.orbit.spectra;

import java.util.Map;

import dev.orbit.experiment.Context;
import dev.orbit.experiment.Experiment;
import dev.orbit.experiment.ModelFile;
import dev.orbit.experiment.Verdict;
import dev.orbit.graph.Model;
import dev.orbit.report.HtmlReport;
import dev.orbit.symmetry.Sampling;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.tensor.NdArray;
import dev.orbit.verify.InputFactory;
import dev.orbit.verify.InputSpec;
import dev.orbit.verify.Tolerance;
import dev.orbit.verify.Verifier;
import dev.orbit.verify.VerifyReport;

/**
 * {@code spectrum}: the weight spectra of every layer (eigenvalues of WᵀW in float64) with their metrics; optionally
 * the balanced point (checked in ONNX Runtime) and the orbit study (which metrics a function-preserving move changes).
 * Default: the bundled classifier, no orbit; quick: at most 2 teleports along the orbit.
 */
public final class SpectrumExperiment implements Experiment<SpectrumExperiment.Config, SpectrumExperiment.Result> {
    /** Models with more weight entries than this get a progress phase over their layers (each layer takes two eigensolves). */
    static final long LARGE_MODEL_ENTRIES = 1_000_000;

    /**
     * {@code model} null for the bundled classifier; {@code orbit} teleports (and as many permutations) or null for
     * none; {@code inputs} and {@code shapes} feed the balanced point's check in ONNX Runtime.
     */
    public record Config(String model, Integer orbit, boolean balanced, Sampling.Kind sampling, double range, long seed, boolean svd,
                         double tolerance, InputSpec inputs, Map<String, long[]> shapes) {}

    /** Everything the experiment measured (result.json). */
    public record Result(String model, String eigenvalueMethod, ModelSpectrum spectrum, Balanced balanced, OrbitSpectra orbit) {}

    /** The balanced point, its check in ONNX Runtime, and its spectra. */
    public record Balanced(BalancedPoint point, VerifyReport verification, ModelSpectrum spectrum) {}

    @Override
    public String name() { return "spectrum"; }

    @Override
    public Config defaults() {
        return new Config(null, null, false, Sampling.Kind.INTER, 0.9, 0, false, Tolerance.MOVE.maxRelativeError(),
                new InputSpec.Random(16, InputSpec.Distribution.NORMAL, 0), Map.of());
    }

    @Override
    public Config quick(Config c) {
        Integer orbit = c.orbit() == null ? null : Math.min(c.orbit(), 2);
        return new Config(c.model(), orbit, c.balanced(), c.sampling(), c.range(), c.seed(), c.svd(), c.tolerance(), c.inputs(), c.shapes());
    }

    /** Throws {@link ModelSpectrum.NonFiniteWeightsException} or ArithmeticException when the weights or a solver fail. */
    @Override
    public Result run(Config c, Context context) {
        Model m = ModelFile.load(c.model());
        EsdOptions esd = new EsdOptions(c.svd() ? Eigenvalues.Method.SVD : Eigenvalues.Method.GRAM, c.seed());
        ModelSpectrum spectrum = spectra(m, esd, context);
        Balanced bal = c.balanced() ? balance(m, esd, c, context) : null;
        OrbitSpectra study = null;
        if (c.orbit() != null) {
            var config = new OrbitSpectra.Config(c.orbit(), c.sampling(), c.range(), c.seed(), c.balanced(), esd);
            context.phase("teleports", c.orbit());
            study = OrbitSpectra.run(m, spectrum, bal == null ? null : bal.spectrum(), config, context::step);
        }
        return new Result(ModelFile.label(c.model()), esd.method().name().toLowerCase(), spectrum, bal, study);
    }

    private static ModelSpectrum spectra(Model m, EsdOptions esd, Context context) {
        var found = WeightMatrices.find(m).matrices();
        long entries = found.stream().mapToLong(w -> w.rows() * w.cols() * w.slices()).sum();
        if (entries <= LARGE_MODEL_ENTRIES) return ModelSpectrum.of(m, esd);
        context.phase("layers", found.size());
        return ModelSpectrum.of(m, esd, context::step);
    }

    private static Balanced balance(Model m, EsdOptions esd, Config c, Context context) {
        BalancedPoint point = BalancedPoint.of(m, SpaceAnalyzer.analyze(m));
        Map<String, NdArray> feeds = InputFactory.make(m, c.inputs(), c.shapes());
        VerifyReport check = Verifier.compareInOrt(m, "original", point.model(), "balanced", feeds, c.inputs().describe(), c.tolerance());
        return new Balanced(point, check, spectra(point.model(), esd, context));
    }

    @Override
    public HtmlReport report(Result r) { return SpectrumReport.of(r); }

    @Override
    public String headline(Result r) { return "weight spectra of " + r.model(); }

    @Override
    public String summary(Result r) { return SpectrumText.of(r); }

    @Override
    public Verdict verdict(Result r) {
        if (r.balanced() == null) return Verdict.PASSED;
        if (r.balanced().verification().hasNonFinite()) return Verdict.NON_FINITE;
        return r.balanced().verification().passed() ? Verdict.PASSED : Verdict.FAILED;
    }
}
