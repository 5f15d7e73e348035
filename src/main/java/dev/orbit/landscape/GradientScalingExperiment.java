package dev.orbit.landscape;

import dev.orbit.experiment.Context;
import dev.orbit.experiment.Experiment;
import dev.orbit.experiment.ModelFile;
import dev.orbit.io.idx.MnistData;
import dev.orbit.report.HtmlReport;

/**
 * {@code gradient-scaling}: the normalised gradient difference |‖∇V‖/‖V‖ − ‖∇W‖/‖W‖| after intra-landscape teleports
 * against the CoB range. Default: 15 ranges from 0.01 to 0.9, 20 teleports each, batch 256; quick: 4 ranges × 3.
 */
public final class GradientScalingExperiment implements Experiment<GradientScalingExperiment.Config, GradientScaling.Result> {
    /** {@code model}: an ONNX classifier of the digits, null for the bundled one. */
    public record Config(String model, GradientScaling.Config run) {}

    @Override
    public String name() { return "gradient-scaling"; }

    @Override
    public Config defaults() { return new Config(null, new GradientScaling.Config(GradientScaling.paperRanges(15), 20, 256, 0)); }

    @Override
    public Config quick(Config c) {
        var r = c.run();
        return new Config(c.model(), new GradientScaling.Config(GradientScaling.paperRanges(4), 3, r.batch(), r.seed()));
    }

    @Override
    public GradientScaling.Result run(Config c, Context context) {
        var m = ModelFile.load(c.model());
        context.phase("teleports", (long) c.run().ranges().length * c.run().teleportsPerRange());
        return GradientScaling.run(ModelFile.label(c.model()), m, MnistData.bundled(MnistData.Split.TEST), c.run(), context::step);
    }

    @Override
    public HtmlReport report(GradientScaling.Result r) { return GradientScalingReport.of(r); }

    @Override
    public String headline(GradientScaling.Result r) { return "the gradient changes more with larger CoB ranges"; }

    @Override
    public String summary(GradientScaling.Result r) {
        StringBuilder b = new StringBuilder(String.format("normalised gradient ‖∇W‖/‖W‖ = %.4e before teleporting (%s, batch %d)%n",
                r.baseline(), r.model(), r.config().batch()));
        for (var p : r.curve()) b.append(String.format("  r = %.3f: |Δ| = %.4e ± %.1e%n", p.range(), p.mean(), p.std()));
        return b.toString();
    }
}
