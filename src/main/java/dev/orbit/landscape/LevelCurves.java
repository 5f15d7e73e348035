package dev.orbit.landscape;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import dev.orbit.eval.Evaluator;
import dev.orbit.graph.Model;
import dev.orbit.io.idx.MnistData;
import dev.orbit.numeric.Classification;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.symmetry.Sampling;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.symmetry.SymmetryAnalysis;
import dev.orbit.tensor.NdArray;
import dev.orbit.verify.WeightChange;

/**
 * Neural teleportation's first claim: a model can be moved to weights far away with no change of loss — it
 * travels along a level curve of the loss landscape. Teleports a trained model many times and measures, on
 * the test set, how far the weights moved and how much loss and accuracy changed (float32 model, loss
 * computed in float64 from the logits).
 */
public final class LevelCurves {
    public record Config(int teleports, Sampling.Kind kind, double range, long seed, int testSamples) {}

    /**
     * One teleport: relative weight change mean|V−W|/mean|W|, the median and max over parameter tensors of
     * ‖V−W‖/‖W‖, |Δloss|, |Δaccuracy|.
     */
    public record Move(int index, double weightChange, double medianTensorChange, double maxTensorChange, double deltaLoss,
                       double deltaAccuracy) {}

    public record Result(String model, Config config, double loss, double accuracy, List<Move> moves,
                         double[] weightDeltaSample, double meanDeltaLoss, double maxDeltaLoss,
                         double maxDeltaAccuracy, double meanWeightChange, double meanMedianTensorChange,
                         double maxTensorChange) {}

    private LevelCurves() {}

    public static Result run(String label, Model model, MnistData test, Config c, java.util.function.IntConsumer progress) {
        MnistData data = test.head(c.testSamples());
        Map<String, NdArray> feeds = Map.of(model.graph().inputs().getFirst().name(), data.images());
        double[] base = lossAndAccuracy(model, feeds, data.labels());
        SymmetryAnalysis a = SpaceAnalyzer.analyze(model);
        List<Move> moves = new ArrayList<>();
        List<Double> deltas = new ArrayList<>();
        SplittableRandom sampleRng = new SplittableRandom(c.seed() ^ 0x5DEECE66DL);
        for (int i = 0; i < c.teleports(); i++) {
            var g = Sampling.both(a, new Sampling.Cob(c.kind(), c.range(), 0), c.seed() + i);
            Model moved = OrbitAction.apply(model, a, g);
            double[] m = lossAndAccuracy(moved, feeds, data.labels());
            WeightChange.PerTensor t = WeightChange.perTensor(model, moved);
            moves.add(new Move(i, WeightChange.relative(model, moved), t.median(), t.max(), Math.abs(m[0] - base[0]),
                    Math.abs(m[1] - base[1])));
            sampleWeightDeltas(model, moved, sampleRng, deltas, 200);
            if (progress != null) progress.accept(i + 1);
        }
        double meanDl = moves.stream().mapToDouble(Move::deltaLoss).average().orElse(0);
        double maxDl = moves.stream().mapToDouble(Move::deltaLoss).max().orElse(0);
        double maxDa = moves.stream().mapToDouble(Move::deltaAccuracy).max().orElse(0);
        double meanW = moves.stream().mapToDouble(Move::weightChange).average().orElse(0);
        double meanMedian = moves.stream().mapToDouble(Move::medianTensorChange).average().orElse(0);
        double maxTensor = moves.stream().mapToDouble(Move::maxTensorChange).max().orElse(0);
        return new Result(label, c, base[0], base[1], moves, deltas.stream().mapToDouble(Double::doubleValue).toArray(),
                meanDl, maxDl, maxDa, meanW, meanMedian, maxTensor);
    }

    /** Mean cross-entropy (float64 log-softmax of the float32 logits) and accuracy. */
    static double[] lossAndAccuracy(Model m, Map<String, NdArray> feeds, long[] labels) {
        NdArray out = new Evaluator(m).run(feeds).values().iterator().next();
        int k = (int) out.dim(1);
        double[] logits = out.toDoubleArray();
        double loss = 0;
        for (int i = 0; i < labels.length; i++) {
            double max = logits[i * k + Classification.argmax(logits, i, k)];
            double sum = 0;
            for (int j = 0; j < k; j++) sum += Math.exp(logits[i * k + j] - max);
            loss += Math.log(sum) + max - logits[i * k + (int) labels[i]];
        }
        return new double[] {loss / labels.length, Classification.accuracy(logits, k, labels)};
    }

    /** A uniform sample of per-weight changes V − W over the trainable floating parameters. */
    private static void sampleWeightDeltas(Model a, Model b, SplittableRandom rng, List<Double> out, int count) {
        List<String> names = a.graph().parameters().entrySet().stream()
                .filter(e -> e.getValue().dtype().isFloating() && e.getValue().size() > 1).map(Map.Entry::getKey).toList();
        long total = names.stream().mapToLong(n -> a.graph().parameter(n).size()).sum();
        for (int s = 0; s < count; s++) {
            long r = rng.nextLong(total);
            for (String n : names) {
                NdArray w = a.graph().parameter(n);
                if (r < w.size()) {
                    out.add(b.graph().parameter(n).getAsDouble(r) - w.getAsDouble(r));
                    break;
                }
                r -= w.size();
            }
        }
    }
}
