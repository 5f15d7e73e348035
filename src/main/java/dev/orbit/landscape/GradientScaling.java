package dev.orbit.landscape;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import dev.orbit.graph.Model;
import dev.orbit.io.idx.MnistData;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.symmetry.Sampling;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.symmetry.SymmetryAnalysis;
import dev.orbit.train.Batches;
import dev.orbit.train.TrainableModel;
import dev.orbit.verify.EvaluationBudget;

/**
 * Neural teleportation's third claim: teleportation changes the landscape around the model, and the change
 * grows with the CoB range. For r in a grid, teleports the model (intra-landscape) and measures the normalised
 * gradient difference |‖∇V‖/‖V‖ − ‖∇W‖/‖W‖| on the same batch (W original weights, V teleported).
 */
public final class GradientScaling {
    public record Config(double[] ranges, int teleportsPerRange, int batch, long seed) {}

    public record Point(double range, double mean, double std, double min, double max) {}

    public record Result(String model, Config config, double baseline, List<Point> curve) {}

    private GradientScaling() {}

    /** 15 values from 0.01 to 0.9, as in the paper. */
    public static double[] paperRanges(int count) {
        double[] r = new double[count];
        for (int i = 0; i < count; i++) r[i] = 0.01 + (0.9 - 0.01) * i / (count - 1);
        return r;
    }

    public static Result run(String label, Model model, MnistData test, Config c, java.util.function.IntConsumer progress) {
        SymmetryAnalysis a = SpaceAnalyzer.analyze(model);
        SplittableRandom rng = new SplittableRandom(c.seed());
        long[] idx = new long[c.batch()];
        for (int i = 0; i < idx.length; i++) idx[i] = rng.nextInt(test.size());
        List<Point> curve = new ArrayList<>();
        double base;
        int done = 0;
        // before libtorch runs the user's model: no value it computes for a batch may exceed the limits
        EvaluationBudget.checkBatch(model, c.batch());
        try (Batches data = Batches.of(test); TrainableModel original = new TrainableModel(model)) {
            base = normalisedGradient(original, data, idx);
            for (double r : c.ranges()) {
                double[] d = new double[c.teleportsPerRange()];
                for (int t = 0; t < d.length; t++) {
                    var g = Sampling.scales(a, new Sampling.Cob(Sampling.Kind.INTRA, r, 0), rng.nextLong());
                    try (TrainableModel moved = new TrainableModel(OrbitAction.apply(model, a, g))) {
                        d[t] = Math.abs(normalisedGradient(moved, data, idx) - base);
                    }
                    if (progress != null) progress.accept(++done);
                }
                curve.add(point(r, d));
            }
        }
        return new Result(label, c, base, curve);
    }

    /** ‖∇L‖ / ‖θ‖ over the trainable weights. */
    private static double normalisedGradient(TrainableModel m, Batches data, long[] idx) {
        double[] g = WeightVectors.gradient(m, data, idx);
        double[] w = WeightVectors.flatten(m.snapshot(), m.parameters().keySet());
        return WeightVectors.norm(g) / WeightVectors.norm(w);
    }

    private static Point point(double r, double[] d) {
        double mean = 0;
        for (double x : d) mean += x;
        mean /= d.length;
        double var = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double x : d) {
            var += (x - mean) * (x - mean);
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        return new Point(r, mean, Math.sqrt(var / Math.max(1, d.length - 1)), min, max);
    }
}
