package dev.orbit.landscape;

import dev.orbit.experiment.Context;
import dev.orbit.experiment.Experiment;
import dev.orbit.experiment.ModelFile;
import dev.orbit.io.idx.MnistData;
import dev.orbit.report.HtmlReport;
import dev.orbit.symmetry.Sampling;

/**
 * {@code level-curves}: teleport a trained classifier many times and measure how far the weights move and how much
 * test loss and accuracy change. Default: 100 inter-landscape teleports (r = 0.9) of the bundled model on 2,000
 * held-out digits; quick: 10 teleports on 500 digits.
 */
public final class LevelCurvesExperiment implements Experiment<LevelCurvesExperiment.Config, LevelCurves.Result> {
    /** {@code model}: an ONNX classifier of the digits, null for the bundled one. */
    public record Config(String model, LevelCurves.Config run) {}

    @Override
    public String name() { return "level-curves"; }

    @Override
    public Config defaults() { return new Config(null, new LevelCurves.Config(100, Sampling.Kind.INTER, 0.9, 0, 2000)); }

    @Override
    public Config quick(Config c) {
        var r = c.run();
        return new Config(c.model(), new LevelCurves.Config(10, r.kind(), r.range(), r.seed(), 500));
    }

    @Override
    public LevelCurves.Result run(Config c, Context context) {
        var m = ModelFile.load(c.model());
        context.phase("teleports", c.run().teleports());
        return LevelCurves.run(ModelFile.label(c.model()), m, MnistData.bundled(MnistData.Split.TEST), c.run(), context::step);
    }

    @Override
    public HtmlReport report(LevelCurves.Result r) { return LevelCurvesReport.of(r); }

    @Override
    public String headline(LevelCurves.Result r) { return "teleportation keeps the loss"; }

    @Override
    public String summary(LevelCurves.Result r) {
        var c = r.config();
        return String.format("%d teleports (%s, r = %s) of %s on %d test digits%n", c.teleports(), c.kind().name().toLowerCase(), c.range(),
                r.model(), c.testSamples())
                + String.format("weights moved mean|V-W|/mean|W| = %.3f on average; per tensor ||V-W||/||W||: median %.3f on average, max %.3f%n",
                        r.meanWeightChange(), r.meanMedianTensorChange(), r.maxTensorChange())
                + String.format("|Δloss| mean %.2e, max %.2e (loss %.4f); |Δaccuracy| max %.4f (accuracy %.4f)%n", r.meanDeltaLoss(),
                r.maxDeltaLoss(), r.loss(), r.maxDeltaAccuracy(), r.accuracy());
    }
}
