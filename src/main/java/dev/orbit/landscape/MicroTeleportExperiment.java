package dev.orbit.landscape;

import dev.orbit.experiment.Context;
import dev.orbit.experiment.Experiment;
import dev.orbit.experiment.ModelFile;
import dev.orbit.io.idx.MnistData;
import dev.orbit.report.HtmlReport;

/**
 * {@code micro-teleport}: angles between micro-teleportation directions (r = 0.001) and back-propagated gradients,
 * with random-direction controls, on MNIST and on random data, batch sizes 8 and 64. Default: 100 micro-teleports
 * per case; quick: 10.
 */
public final class MicroTeleportExperiment implements Experiment<MicroTeleportExperiment.Config, MicroTeleport.Result> {
    /** Fraction of angles within this many degrees of 90° (the paper's nullity tolerance, in degrees). */
    static final double WITHIN_DEGREES = 0.5;
    /** In 10⁵ dimensions random pairs also fall within 0.5° of 90°; 0.01° separates the micro-teleports. */
    static final double TIGHT_DEGREES = 0.01;

    /** {@code model}: an ONNX classifier of the digits, null for the bundled one. */
    public record Config(String model, MicroTeleport.Config run) {}

    @Override
    public String name() { return "micro-teleport"; }

    @Override
    public Config defaults() { return new Config(null, new MicroTeleport.Config(100, 0.001, new int[] {8, 64}, 0)); }

    @Override
    public Config quick(Config c) {
        var r = c.run();
        return new Config(c.model(), new MicroTeleport.Config(10, r.range(), r.batchSizes(), r.seed()));
    }

    @Override
    public MicroTeleport.Result run(Config c, Context context) {
        var m = ModelFile.load(c.model());
        context.phase("micro-teleports", 2L * c.run().batchSizes().length * c.run().teleports());
        return MicroTeleport.run(ModelFile.label(c.model()), m, MnistData.bundled(MnistData.Split.TEST), c.run(), context::step);
    }

    @Override
    public HtmlReport report(MicroTeleport.Result r) { return MicroTeleportReport.of(r); }

    @Override
    public String headline(MicroTeleport.Result r) { return "micro-teleportations are orthogonal to gradients"; }

    @Override
    public String summary(MicroTeleport.Result r) {
        StringBuilder b = new StringBuilder(String.format("%d micro-teleports (r = %s) per case, %s, %,d weights; fraction of angles within %.1f° (and %.2f°) of 90°:%n",
                r.config().teleports(), r.config().range(), r.model(), r.dimension(), WITHIN_DEGREES, TIGHT_DEGREES));
        for (var c : r.cases()) {
            b.append(String.format("  %-6s batch %2d: micro-vs-gradient %s, gradient-vs-random %s, micro-vs-random %s, random-vs-random %s%n",
                    c.data(), c.batch(), fractions(c.microVsGradient()), fractions(c.gradientVsRandom()),
                    fractions(c.microVsRandom()), fractions(c.randomVsRandom())));
        }
        return b.toString();
    }

    private static String fractions(double[] angles) {
        return String.format("%.2f (%.2f)", MicroTeleport.Case.within(angles, WITHIN_DEGREES),
                MicroTeleport.Case.within(angles, TIGHT_DEGREES));
    }
}
