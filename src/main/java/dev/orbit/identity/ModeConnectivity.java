package dev.orbit.identity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.orbit.eval.Evaluator;
import dev.orbit.graph.Model;
import dev.orbit.graph.build.ArchSpec;
import dev.orbit.graph.build.NetworkBuilder;
import dev.orbit.io.idx.MnistData;
import dev.orbit.numeric.Classification;
import dev.orbit.tensor.NdArray;
import dev.orbit.train.Augmentation;
import dev.orbit.train.Batches;
import dev.orbit.train.Initializer;
import dev.orbit.train.Loss;
import dev.orbit.train.Optimizer;
import dev.orbit.train.Schedule;
import dev.orbit.train.TrainableModel;
import dev.orbit.train.Trainer;
import dev.orbit.verify.NoiseRule;
import dev.orbit.verify.Verifier;
import dev.orbit.verify.VerifyReport;

/**
 * Linear mode connectivity before and after alignment (git re-basin's experiment, on Orbit's own analysis): per
 * architecture, models trained from seeds 0, 1, 2 (as {@code orbit train} trains them: SGD, momentum 0.9, cosine lr,
 * weight decay 5e-4, ±1-pixel shifts), and for each pair (0–1, 0–2, 1–2) the loss and accuracy on the held-out test
 * digits along θ(t) = (1 − t)·θ_A + t·θ_B, for B as trained (naive), weight-matched and activation-matched to A, each
 * also with its statistics corrected at every point (BatchNorm reset for nets with BatchNorm, REPAIR otherwise).
 * Activations, REPAIR and the reset read the first training digits, never the test digits. The loss barrier is
 * max_t [L(θ(t)) − ((1 − t)·L(θ_A) + t·L(θ_B))]; every aligned B is checked against B in ONNX Runtime (noise rule).
 */
public final class ModeConnectivity {
    /**
     * @param archs        architecture specs ({@code orbit train --arch})
     * @param seeds        models per architecture; pairs are every two of them
     * @param alignSamples training digits for activation matching, REPAIR and the BatchNorm reset
     * @param points       points on each path (t = i/(points − 1)); the midpoint is on it when points is odd
     */
    public record Config(List<String> archs, int seeds, int epochs, int trainSamples, int alignSamples, int testSamples,
                         int points, double lr, int batch) {
        public Config {
            archs = List.copyOf(archs);
            if (seeds < 2) throw new IllegalArgumentException("at least 2 seeds are needed for a pair");
            if (points < 3 || points % 2 == 0) throw new IllegalArgumentException("points must be odd and ≥ 3 (the midpoint is on the path)");
            if (epochs < 1 || trainSamples < 1 || alignSamples < 1 || testSamples < 1 || batch < 1 || !(lr > 0)) {
                throw new IllegalArgumentException("epochs, samples, batch and lr must be positive");
            }
        }
    }

    /** One path: loss and accuracy at each t; its barrier and its midpoint accuracy. */
    public record Path(String method, double[] t, double[] loss, double[] accuracy, double barrier, double midpointAccuracy) {}

    /**
     * @param distanceBefore ‖B − A‖/‖A‖ (weights); distanceAfter per alignment method
     * @param verification   per alignment method: the aligned B against B in ONNX Runtime (noise rule): passed
     * @param worstRatio     per alignment method: the noise rule's largest e_moved / e_own over outputs
     */
    public record Pair(int seedA, int seedB, double accuracyA, double accuracyB, List<Path> paths, double distanceBefore,
                       Map<String, Double> distanceAfter, Map<String, Boolean> verification, Map<String, Double> worstRatio,
                       Map<String, Integer> sweeps, Map<String, Double> alignSeconds) {}

    public record Arch(String spec, boolean batchNorm, String correction, List<Pair> pairs, Map<String, Double> meanBarrier,
                       Map<String, Double> meanMidpointAccuracy) {}

    public record Result(Config config, List<Arch> archs, boolean allVerified, double seconds) {}

    static final String NAIVE = "naive";
    static final String WEIGHTS = "weights";
    static final String ACTIVATIONS = "activations";

    private ModeConnectivity() {}

    public static Result run(Config c, MnistData train, MnistData test, java.util.function.Consumer<String> log) {
        long start = System.nanoTime();
        MnistData tr = train.head(Math.min(c.trainSamples(), train.size()));
        MnistData te = test.head(Math.min(c.testSamples(), test.size()));
        List<Arch> archs = new ArrayList<>();
        boolean allVerified = true;
        for (String spec : c.archs()) {
            List<Model> models = new ArrayList<>();
            for (int s = 0; s < c.seeds(); s++) {
                log.accept("training " + spec + ", seed " + s);
                models.add(train(spec, tr, c, s));
            }
            boolean bn = Merging.hasBatchNorm(models.getFirst());
            String correction = bn ? "BatchNorm reset" : "REPAIR";
            NdArray fit = Digits.forModel(models.getFirst(), train, c.alignSamples());
            NdArray x = Digits.forModel(models.getFirst(), te, te.size());
            List<Pair> pairs = new ArrayList<>();
            for (int i = 0; i < c.seeds(); i++) {
                for (int j = i + 1; j < c.seeds(); j++) {
                    log.accept("pair " + i + "–" + j + " of " + spec);
                    Pair p = pair(models.get(i), models.get(j), i, j, fit, x, te.labels(), c.points(), bn);
                    allVerified &= p.verification().values().stream().allMatch(Boolean::booleanValue);
                    pairs.add(p);
                }
            }
            Map<String, Double> barrier = new LinkedHashMap<>();
            Map<String, Double> mid = new LinkedHashMap<>();
            for (Path path : pairs.getFirst().paths()) {
                barrier.put(path.method(), pairs.stream().mapToDouble(p -> find(p, path.method()).barrier()).average().orElse(Double.NaN));
                mid.put(path.method(), pairs.stream().mapToDouble(p -> find(p, path.method()).midpointAccuracy()).average().orElse(Double.NaN));
            }
            archs.add(new Arch(spec, bn, correction, pairs, barrier, mid));
        }
        return new Result(c, archs, allVerified, (System.nanoTime() - start) / 1e9);
    }

    static Path find(Pair p, String method) {
        return p.paths().stream().filter(x -> x.method().equals(method)).findFirst().orElseThrow();
    }

    private static Pair pair(Model a, Model b, int sa, int sb, NdArray fit, NdArray x, long[] labels, int points, boolean bn) {
        List<Path> paths = new ArrayList<>();
        Map<String, Double> after = new LinkedHashMap<>();
        Map<String, Boolean> verified = new LinkedHashMap<>();
        Map<String, Double> ratio = new LinkedHashMap<>();
        Map<String, Integer> sweeps = new LinkedHashMap<>();
        Map<String, Double> seconds = new LinkedHashMap<>();
        Merging.Correction corr = bn ? Merging.Correction.RESET_BATCHNORM : Merging.Correction.REPAIR;
        Model endB = a.withGraph(a.graph().withParameters(ParameterPairing.pair(a, b)));
        paths.add(path(NAIVE, a, endB, points, x, labels, Merging.Correction.NONE, fit));
        paths.add(path(NAIVE + " + " + label(corr), a, endB, points, x, labels, corr, fit));
        for (String method : List.of(WEIGHTS, ACTIVATIONS)) {
            Alignment.Options o = method.equals(WEIGHTS) ? Alignment.Options.weights() : Alignment.Options.activations(fit);
            Alignment.Result r = Alignment.align(a, b, o);
            after.put(method, r.distanceAfter());
            sweeps.put(method, r.sweeps());
            seconds.put(method, r.seconds());
            VerifyReport v = Verifier.compareInOrt(b, "B", r.aligned(), "B aligned", Map.of(b.graph().inputs().getFirst().name(),
                    Activations.rows(x, 0, Math.min(256, x.dim(0)))), "test digits", NoiseRule.MOVE);
            verified.put(method, v.passedAndFinite());
            ratio.put(method, v.worstNoiseRatio());
            Model aligned = a.withGraph(a.graph().withParameters(ParameterPairing.pair(a, r.aligned())));
            paths.add(path(method, a, aligned, points, x, labels, Merging.Correction.NONE, fit));
            paths.add(path(method + " + " + label(corr), a, aligned, points, x, labels, corr, fit));
        }
        double[] la = lossAndAccuracy(a, x, labels);
        double[] lb = lossAndAccuracy(b, x, labels);
        return new Pair(sa, sb, la[1], lb[1], paths, Alignment.distance(endB, a, ParameterPairing.pair(a, b).keySet()), after, verified, ratio,
                sweeps, seconds);
    }

    static String label(Merging.Correction c) {
        return switch (c) {
            case NONE -> "";
            case RESET_BATCHNORM -> "BN reset";
            case REPAIR -> "REPAIR";
        };
    }

    /** Loss and accuracy at t = i/(points − 1) on θ(t) = (1 − t)·a + t·b, each point corrected as asked. */
    static Path path(String method, Model a, Model b, int points, NdArray x, long[] labels, Merging.Correction corr, NdArray fit) {
        double[] t = new double[points];
        double[] loss = new double[points];
        double[] acc = new double[points];
        Repair.Plan plan = corr == Merging.Correction.REPAIR ? Repair.plan(a, b, fit) : null;
        for (int i = 0; i < points; i++) {
            t[i] = (double) i / (points - 1);
            Model m = Merging.interpolate(a, b, t[i]);
            m = switch (corr) {
                case NONE -> m;
                case RESET_BATCHNORM -> Merging.resetBatchNorm(m, fit);
                case REPAIR -> plan.apply(m, t[i]).model();
            };
            double[] la = lossAndAccuracy(m, x, labels);
            loss[i] = la[0];
            acc[i] = la[1];
        }
        double barrier = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < points; i++) barrier = Math.max(barrier, loss[i] - ((1 - t[i]) * loss[0] + t[i] * loss[points - 1]));
        return new Path(method, t, loss, acc, barrier, acc[points / 2]);
    }

    /** Mean cross-entropy (float64 log-softmax of the float32 logits) and accuracy, in batches. */
    static double[] lossAndAccuracy(Model m, NdArray x, long[] labels) {
        Evaluator e = new Evaluator(m);
        String input = m.graph().inputs().getFirst().name();
        double loss = 0;
        long correct = 0;
        long n = x.dim(0);
        for (long from = 0; from < n; from += 500) {
            long to = Math.min(n, from + 500);
            NdArray out = e.run(Map.of(input, Activations.rows(x, from, to))).values().iterator().next();
            int k = (int) out.dim(1);
            double[] logits = out.toDoubleArray();
            for (int i = 0; i < to - from; i++) {
                int best = Classification.argmax(logits, i, k);
                double max = logits[i * k + best];
                double sum = 0;
                for (int j = 0; j < k; j++) sum += Math.exp(logits[i * k + j] - max);
                int y = (int) labels[Math.toIntExact(from + i)];
                loss += Math.log(sum) + max - logits[i * k + y];
                if (best == y) correct++;
            }
        }
        return new double[] {loss / n, (double) correct / n};
    }

    /** As {@code orbit train} trains by default: SGD momentum 0.9, weight decay 5e-4, cosine lr, ±1-pixel shifts, Kaiming. */
    static Model train(String spec, MnistData data, Config c, long seed) {
        ArchSpec arch = ArchSpec.parse(spec);
        Model init = NetworkBuilder.build(arch, Initializer.parse("kaiming", arch.activation().gain()), seed);
        NdArray x = Digits.forModel(init, data, data.size());
        try (TrainableModel m = new TrainableModel(init);
             Batches b = new Batches(x, data.labels(), Augmentation.parse("shift:1", 28, 28));
             Optimizer opt = new Optimizer.Sgd(0.9, false, 5e-4)) {
            Trainer.fit(m, opt, b, null, new Trainer.Config(c.epochs(), c.batch(), c.lr(), Schedule.parse("cosine", c.epochs()), seed,
                    new Loss.CrossEntropy(), true), null);
            return m.snapshot();
        }
    }
}
