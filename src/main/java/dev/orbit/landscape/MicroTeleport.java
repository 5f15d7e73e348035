package dev.orbit.landscape;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;


import dev.orbit.graph.Model;
import dev.orbit.io.idx.MnistData;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.symmetry.Sampling;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.symmetry.SymmetryAnalysis;
import dev.orbit.tensor.NdArray;
import dev.orbit.train.Batches;
import dev.orbit.train.TrainableModel;
import dev.orbit.verify.EvaluationBudget;

/**
 * Neural teleportation's second claim: a micro-teleportation (CoB range r = 0.001) moves the weights along a
 * direction orthogonal to the back-propagated gradient, for any batch, while random directions are not
 * special. For each case (data set × batch size) it measures, over many micro-teleports, the angle between the
 * micro-teleport displacement and the gradient of a fresh batch, with the controls gradient-vs-random,
 * micro-vs-random and random-vs-random (random = Gaussian direction in weight space). Angles in degrees,
 * computed in float64 from float32 weights and gradients.
 */
public final class MicroTeleport {
    public record Config(int teleports, double range, int[] batchSizes, long seed) {}

    public record Case(String data, int batch, double[] microVsGradient, double[] gradientVsRandom,
                       double[] microVsRandom, double[] randomVsRandom) {
        /** Fraction of angles within {@code degrees} of 90°. */
        public static double within(double[] angles, double degrees) {
            int n = 0;
            for (double a : angles) if (Math.abs(a - 90) <= degrees) n++;
            return (double) n / angles.length;
        }
    }

    public record Result(String model, Config config, long dimension, List<Case> cases) {}

    private MicroTeleport() {}

    public static Result run(String label, Model model, MnistData test, Config c, java.util.function.IntConsumer progress) {
        SymmetryAnalysis a = SpaceAnalyzer.analyze(model);
        SplittableRandom rng = new SplittableRandom(c.seed());
        // random data with random labels: N(0,1) pixels of the same shape
        int n = test.size();
        int d = (int) test.images().dim(1);
        float[] noise = new float[n * d];
        long[] randomLabels = new long[n];
        for (int i = 0; i < noise.length; i++) noise[i] = (float) gaussian(rng);
        for (int i = 0; i < n; i++) randomLabels[i] = rng.nextInt(10);
        Map<String, Batches> data = new LinkedHashMap<>();
        data.put("MNIST", Batches.of(test));
        data.put("random", new Batches(NdArray.ofFloats(noise, n, d), randomLabels));
        List<Case> cases = new ArrayList<>();
        int done = 0;
        long dimension = 0;
        // before libtorch runs the user's model: no value it computes for the largest batch may exceed the limits
        EvaluationBudget.checkBatch(model, java.util.Arrays.stream(c.batchSizes()).max().orElse(1));
        try (TrainableModel tm = new TrainableModel(model)) {
            double[] base = WeightVectors.flatten(tm.snapshot(), tm.parameters().keySet());
            dimension = base.length;
            for (var e : data.entrySet()) {
                for (int batch : c.batchSizes()) {
                    int t = c.teleports();
                    double[] mg = new double[t], gr = new double[t], mr = new double[t], rr = new double[t];
                    for (int i = 0; i < t; i++) {
                        var g = Sampling.scales(a, new Sampling.Cob(Sampling.Kind.INTRA, c.range(), 0), rng.nextLong());
                        double[] micro = subtract(WeightVectors.flatten(OrbitAction.apply(model, a, g), tm.parameters().keySet()), base);
                        double[] grad = gradient(tm, e.getValue(), batch, rng);
                        double[] r1 = randomDirection(base.length, rng);
                        double[] r2 = randomDirection(base.length, rng);
                        mg[i] = angle(micro, grad);
                        gr[i] = angle(grad, r1);
                        mr[i] = angle(micro, r1);
                        rr[i] = angle(r1, r2);
                        if (progress != null) progress.accept(++done);
                    }
                    cases.add(new Case(e.getKey(), batch, mg, gr, mr, rr));
                }
            }
        } finally {
            data.values().forEach(Batches::close);
        }
        return new Result(label, c, dimension, cases);
    }

    private static double[] gradient(TrainableModel tm, Batches data, int batch, SplittableRandom rng) {
        long[] idx = new long[batch];
        for (int i = 0; i < batch; i++) idx[i] = rng.nextInt(data.size());
        return WeightVectors.gradient(tm, data, idx);
    }

    private static double[] subtract(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i] - b[i];
        return r;
    }

    private static double[] randomDirection(int n, SplittableRandom rng) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = gaussian(rng);
        return v;
    }

    static double angle(double[] a, double[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        double c = dot / Math.sqrt(na * nb);
        return Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, c))));
    }

    private static double gaussian(SplittableRandom rng) {
        return Math.sqrt(-2 * Math.log1p(-rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }
}
