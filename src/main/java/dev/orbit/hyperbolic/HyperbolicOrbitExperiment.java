package dev.orbit.hyperbolic;

import java.nio.file.Path;
import java.util.SplittableRandom;

import dev.orbit.experiment.Context;
import dev.orbit.experiment.Experiment;
import dev.orbit.experiment.ExperimentFiles;
import dev.orbit.experiment.Verdict;
import dev.orbit.graph.Model;
import dev.orbit.graph.ShapeException;
import dev.orbit.io.idx.MnistData;
import dev.orbit.io.onnx.OnnxImporter;
import dev.orbit.report.HtmlReport;
import dev.orbit.tensor.NdArray;

/**
 * {@code hyperbolic-orbit}: N models equivalent to a length-product model, one random group element per layer
 * (PSL(2,R) on H², isometries of Hⁿ or of the line), each verified against the original in float64 (Orbit and ONNX
 * Runtime) and in float32. Default: 10 copies on 200 inputs; quick: 3 copies on 50 inputs.
 */
public final class HyperbolicOrbitExperiment implements Experiment<HyperbolicOrbitExperiment.Config, OrbitCopies.Result> {
    /**
     * {@code model} a model with length-product layers (required); {@code samples} bundled test digits when it takes 784
     * pixels, random N(0,1) inputs (seeded by the copies' seed) otherwise.
     */
    public record Config(String model, int samples, OrbitCopies.Config copies) {}

    @Override
    public String name() { return "hyperbolic-orbit"; }

    @Override
    public Config defaults() { return new Config(null, 200, new OrbitCopies.Config(10, 1.0, 0, 1e-9, true)); }

    @Override
    public Config quick(Config c) {
        var k = c.copies();
        return new Config(c.model(), Math.min(c.samples(), 50), new OrbitCopies.Config(Math.min(k.count(), 3), k.spread(), k.seed(), k.tolerance(),
                k.writeModels()));
    }

    /**
     * Throws ShapeException for a model whose input is not [batch, features], IllegalArgumentException for one without
     * length-product layers. Copies (models, standard exports, elements) go to {@code context.folder()} when it is set.
     */
    @Override
    public OrbitCopies.Result run(Config c, Context context) {
        if (c.model() == null) throw new IllegalArgumentException("hyperbolic-orbit needs a model with length-product layers");
        Model m = OnnxImporter.read(Path.of(c.model()));
        NdArray inputs = inputs(c, m);
        var k = c.copies();
        var copies = new OrbitCopies.Config(k.count(), k.spread(), k.seed(), k.tolerance(), k.writeModels() && context.folder() != null);
        context.phase("orbit copies", k.count());
        return OrbitCopies.run(m, c.model(), inputs, copies, context.folder(), context::step);
    }

    private static NdArray inputs(Config c, Model m) {
        var in = m.graph().inputs();
        if (in.size() != 1 || in.getFirst().type().shape() == null || in.getFirst().type().shape().rank() != 2) {
            throw new ShapeException(c.model() + ": expected one input of shape [batch, features]");
        }
        var width = in.getFirst().type().shape().dim(1);
        if (width.isKnown() && width.size() == 784) {
            MnistData test = MnistData.bundled(MnistData.Split.TEST);
            return HyperbolicTraining.slice(test, 0, Math.min(c.samples(), test.size())).images();
        }
        if (!width.isKnown()) throw new ShapeException(c.model() + ": the feature axis of the input has no fixed size");
        SplittableRandom rng = new SplittableRandom(c.copies().seed());
        double[] x = new double[(int) (c.samples() * width.size())];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextGaussian();
        return NdArray.ofDoubles(x, c.samples(), width.size());
    }

    @Override
    public HtmlReport report(OrbitCopies.Result r) { return HyperbolicOrbitReport.of(r); }

    @Override
    public String headline(OrbitCopies.Result r) {
        return String.format("%d copies, max float64 rel error %.1e", r.copies().size(), Math.max(r.maxOrbitFloat64(), r.maxOrtFloat64()));
    }

    @Override
    public String summary(OrbitCopies.Result r) {
        var k = r.config();
        return String.format("%d orbit copies of %s (%s), spread %s, on %d inputs%n", r.copies().size(), r.model(), String.join(", ", r.layers()),
                k.spread(), r.samples())
                + String.format("float64, Orbit: max rel error %.2e; float64, ONNX Runtime: %.2e (tolerance %.0e) %s%n", r.maxOrbitFloat64(),
                r.maxOrtFloat64(), k.tolerance(), r.passed() ? "PASS" : "FAIL")
                + String.format("float32, ONNX Runtime: max rel error %.2e (the unmoved model in float32: %.2e)%n", r.maxOrtFloat32(), r.baselineFloat32())
                + String.format("weights moved mean|V-W|/mean|W| = %.3f on average%n",
                r.copies().stream().mapToDouble(OrbitCopies.Copy::weightChange).average().orElse(0));
    }

    @Override
    public Verdict verdict(OrbitCopies.Result r) { return r.passed() ? Verdict.PASSED : Verdict.FAILED; }

    /** What the command prints after writing. */
    public static String wrote(OrbitCopies.Result r, Path dir) {
        return r.config().writeModels() ? "wrote " + r.copies().size() + " models and " + ExperimentFiles.wrote(dir).substring(6)
                : ExperimentFiles.wrote(dir);
    }
}
