package dev.orbit.hyperbolic;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

import dev.orbit.graph.Model;
import dev.orbit.numeric.Stats;
import dev.orbit.symmetry.LengthLayers;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.train.Batches;
import dev.orbit.train.Schedule;

/**
 * The orbit ensemble: from a trained length-product model, each epoch trains N' copies on fresh data, keeps the one
 * with the best validation accuracy (ties: lower validation loss) and regrows N' copies from it. Three arms, each over several seeds:
 * <ul>
 * <li>orbit: the N' copies are random points of the best model's orbit (a random group element per layer);</li>
 * <li>same point: N' unmoved copies of the best model (they differ only in their shuffling);</li>
 * <li>single: one model trained alone, no selection.</li>
 * </ul>
 * Copy i of an epoch uses the same shuffle seed in every arm. Each copy starts a fresh optimizer (no optimizer state
 * survives a regrowth); the learning rate follows a cosine over the epochs. Test accuracy is that of the kept model.
 */
public final class OrbitEnsemble {
    private OrbitEnsemble() {}

    public record Config(int seeds, int copies, int epochs, double spread, double lr, int batch, String optimizer) {
        public Config {
            if (seeds <= 0 || copies <= 0 || epochs <= 0 || batch <= 0) throw new IllegalArgumentException("seeds, copies, epochs and batch must be positive");
            if (!(lr > 0) || !(spread >= 0)) throw new IllegalArgumentException("lr must be positive and spread ≥ 0");
        }

        public int trainingsPerSeed() { return epochs * (2 * copies + 1); }
    }

    /** Test accuracy of the kept model per seed and epoch, with its mean and spread over seeds. */
    public record Arm(String name, double[][] testAccuracy, double[] mean, double[] std, double finalMean, double finalStd) {
        static Arm of(String name, double[][] acc) {
            int epochs = acc[0].length;
            double[] mean = new double[epochs];
            double[] std = new double[epochs];
            for (int e = 0; e < epochs; e++) {
                final int epoch = e;
                double[] overSeeds = java.util.Arrays.stream(acc).mapToDouble(a -> a[epoch]).toArray();
                mean[e] = Stats.mean(overSeeds);
                std[e] = Stats.std(overSeeds);
            }
            return new Arm(name, acc, mean, std, mean[epochs - 1], std[epochs - 1]);
        }
    }

    public record Result(Config config, double baseTestAccuracy, int freshSamples, int validationSamples, int testSamples, List<Arm> arms) {}

    enum Kind { ORBIT, SAME_POINT, SINGLE }

    public static Result run(Model base, Batches fresh, Batches validation, Batches test, Config c, IntConsumer progress) {
        double baseAcc = HyperbolicTraining.evaluate(base, test)[1];
        double[][][] acc = new double[Kind.values().length][c.seeds()][c.epochs()];
        int[] done = {0};
        for (int s = 0; s < c.seeds(); s++) {
            for (Kind kind : Kind.values()) {
                SplittableRandom rng = new SplittableRandom(1_000_003L * (s + 1));
                Model current = base;
                for (int e = 0; e < c.epochs(); e++) {
                    double lr = new Schedule.Cosine(c.epochs()).lr(c.lr(), e);
                    int n = kind == Kind.SINGLE ? 1 : c.copies();
                    Model best = null;
                    double bestVal = -1;
                    double bestLoss = Double.POSITIVE_INFINITY;
                    for (int i = 0; i < n; i++) {
                        Model start = kind == Kind.ORBIT ? OrbitAction.apply(current, LengthLayers.randomElement(current, rng, c.spread())) : current;
                        long shuffle = 7_919L * s + 104_729L * e + i;
                        var cfg = new HyperbolicTraining.Config(1, c.batch(), lr, c.optimizer(), shuffle, true);
                        var r = HyperbolicTraining.train(start, fresh, kind == Kind.SINGLE ? null : validation, cfg, null);
                        double val = kind == Kind.SINGLE ? 0 : r.testAccuracy();
                        double loss = kind == Kind.SINGLE ? 0 : r.history().getLast().testLoss();
                        // best validation accuracy; ties (frequent on small splits) go to the lower validation loss
                        if (val > bestVal || val == bestVal && loss < bestLoss) {
                            bestVal = val;
                            bestLoss = loss;
                            best = r.model();
                        }
                        if (progress != null) progress.accept(++done[0]);
                    }
                    current = best;
                    acc[kind.ordinal()][s][e] = HyperbolicTraining.evaluate(current, test)[1];
                }
            }
        }
        List<Arm> arms = new ArrayList<>();
        arms.add(Arm.of("orbit copies", acc[Kind.ORBIT.ordinal()]));
        arms.add(Arm.of("copies of the same point", acc[Kind.SAME_POINT.ordinal()]));
        arms.add(Arm.of("one model alone", acc[Kind.SINGLE.ordinal()]));
        return new Result(c, baseAcc, fresh.size(), validation.size(), test.size(), arms);
    }
}
