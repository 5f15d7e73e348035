package dev.orbit.landscape;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.orbit.graph.Model;
import dev.orbit.graph.build.ArchSpec;
import dev.orbit.graph.build.NetworkBuilder;
import dev.orbit.io.idx.MnistData;
import dev.orbit.symmetry.GroupElement;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.symmetry.Sampling;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.symmetry.SymmetryAnalysis;
import dev.orbit.tensor.NdArray;
import dev.orbit.train.Batches;
import dev.orbit.train.EpochStats;
import dev.orbit.train.Initializer;
import dev.orbit.train.Loss;
import dev.orbit.train.Optimizer;
import dev.orbit.train.Schedule;
import dev.orbit.train.Teleporter;
import dev.orbit.train.TrainableModel;
import dev.orbit.train.Trainer;
import dev.orbit.verify.Tolerance;
import dev.orbit.verify.Verifier;
import dev.orbit.verify.VerifyReport;

/**
 * Teleports chosen for a purpose during training (issue 19): symmetry teleportation to the largest gradient norm
 * (Zhao et al., NeurIPS 2022), teleports that lower the curvature (Zhao et al., ICLR 2024), equi-normalisation
 * (Stock et al., 2019), against no teleport and the random teleport of the neural-teleportation paper. Every arm
 * trains the same initialisation on the same batches; each teleport is verified in ONNX Runtime against the unmoved
 * model on the batch it was chosen for before training goes on.
 */
public final class SymmetryTeleport {
    public enum Arm {
        NONE, RANDOM, GRAD_NORM, SHARPNESS, ENORM;

        public String label() { return name().toLowerCase().replace('_', '-'); }
    }

    /** An optimiser setting: sgd, momentum (SGD with momentum 0.9), adagrad or adam, at a constant learning rate. */
    public record Setting(String optimizer, double lr) {
        public String label() { return optimizer + " lr " + lr; }

        Optimizer make() {
            return switch (optimizer) {
                case "sgd" -> new Optimizer.Sgd(0, false, 0);
                case "momentum" -> new Optimizer.Sgd(0.9, false, 0);
                case "adagrad" -> new Optimizer.AdaGrad(1e-10, 0, 0);
                case "adam" -> new Optimizer.Adam(0.9, 0.999, 1e-8, 0);
                default -> throw new IllegalArgumentException("unknown optimizer '" + optimizer + "' (sgd, momentum, adagrad, adam)");
            };
        }
    }

    /**
     * {@code every}: teleport at step 0 and every K steps (the random arm teleports once, at step 0, as in the
     * neural-teleportation paper); {@code steps}, {@code lr}: the orbit optimiser's steps and learning rate
     * (ln-objectives), {@code enormLr} for the weight norm; {@code bound}: factors within [1/bound, bound];
     * {@code sharpness}: the curvature objective (trace or sharpness), on the first {@code sharpnessSample} digits of
     * the step's batch (0: all of it).
     */
    public record Config(List<String> archs, List<Setting> settings, List<Arm> arms, int seeds, int epochs, int batch, int trainSamples,
                         double target, int every, int steps, double lr, double enormLr, double bound, String sharpness, int sharpnessSample,
                         double randomRange) {}

    /**
     * One training run: per epoch the test accuracy, train loss, test loss and the seconds since the start (training
     * and teleports; test evaluation and ONNX Runtime verification excluded); the teleports' own seconds and count,
     * the worst verification error, epochs and seconds to the target (NaN when not reached).
     */
    public record Run(long seed, double[] testAccuracy, double[] trainLoss, double[] testLoss, double[] seconds, double teleportSeconds,
                      int teleports, double worstMoveError, double verifySeconds, double epochsToTarget, double secondsToTarget) {}

    public record Cell(String arch, Setting setting, Arm arm, List<Run> runs) {}

    /** {@code warmUpSeconds}: the untimed warm-up teleports before each architecture's runs, included in {@code seconds}. */
    public record Result(Config config, List<Cell> cells, double seconds, double warmUpSeconds, String load) {}

    /** Warm-up teleports per purposeful arm: the first two still ran at 2-3x the steady cost in the run of 2026-12-07. */
    static final int WARM_UP_ROUNDS = 3;

    private SymmetryTeleport() {}

    public static List<Setting> defaultSettings() {
        return List.of(new Setting("sgd", 0.01), new Setting("momentum", 0.01), new Setting("adagrad", 0.01), new Setting("adam", 0.001));
    }

    public static Result run(MnistData train, MnistData test, Config c, java.util.function.IntConsumer progress) {
        long t0 = System.nanoTime();
        MnistData tr = train.head(c.trainSamples());
        List<Cell> cells = new ArrayList<>();
        int done = 0;
        double warmUp = 0;
        for (String arch : c.archs()) {
            ArchSpec spec = ArchSpec.parse(arch);
            long[] shape = spec.toString().startsWith("mlp") ? new long[] {-1, 784} : new long[] {-1, 1, 28, 28};
            try (Batches trainB = new Batches(reshape(tr.images(), shape), tr.labels());
                 Batches testB = new Batches(reshape(test.images(), shape), test.labels())) {
                warmUp += warmUp(spec, c, trainB);
                for (Setting s : c.settings()) {
                    for (Arm arm : c.arms()) {
                        List<Run> runs = new ArrayList<>();
                        for (int seed = 0; seed < c.seeds(); seed++) {
                            runs.add(runOne(spec, s, arm, seed, c, trainB, testB));
                            if (progress != null) progress.accept(++done);
                        }
                        cells.add(new Cell(arch, s, arm, runs));
                    }
                }
            }
        }
        return new Result(c, cells, (System.nanoTime() - t0) / 1e9, warmUp, load());
    }

    /**
     * {@link #WARM_UP_ROUNDS} untimed teleports per purposeful arm before the timed runs, so that the first runs of the
     * first cell do not carry the JVM's compilation and libtorch's first-call costs of an objective's autograd. With one
     * round, MLP/SGD's five sharpness teleports took 0.107, 0.138, 0.094, 0.094 and 0.035 s and MLP/momentum's, right
     * after, 0.034-0.068 s (run of 2026-12-07, share 13.4 % against 8.5 %). The bench warms up the same way. Returns the
     * seconds spent, which the result reports.
     */
    private static double warmUp(ArchSpec spec, Config c, Batches train) {
        if (train.size() < 1) return 0;
        long t0 = System.nanoTime();
        Model model = NetworkBuilder.build(spec, Initializer.parse("kaiming"), 0);
        SymmetryAnalysis a = SpaceAnalyzer.analyze(model);
        long[] order = train.order(0, 0);
        for (int round = 0; round < WARM_UP_ROUNDS; round++) {
            for (Arm arm : c.arms()) {
                Teleporter.Spec t = armSpec(arm, c);
                if (t == null) continue;
                try (TrainableModel tm = new TrainableModel(model); Optimizer opt = new Optimizer.Sgd(0, false, 0)) {
                    new Teleporter(t, a, null).before(0, tm, opt, train, order, 0, Math.min(c.batch(), train.size()));
                }
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static NdArray reshape(NdArray images, long[] shape) {
        long[] s = shape.clone();
        s[0] = images.dim(0);
        return images.reshape(s);
    }

    private static Run runOne(ArchSpec spec, Setting s, Arm arm, long seed, Config c, Batches train, Batches test) {
        Model model = NetworkBuilder.build(spec, Initializer.parse("kaiming"), seed);
        SymmetryAnalysis a = SpaceAnalyzer.analyze(model);
        double[] worst = {0};
        double[] verifySeconds = {0};
        double teleportSeconds = 0;
        int teleports = 0;
        if (arm == Arm.RANDOM) {
            long t = System.nanoTime();
            GroupElement g = Sampling.scales(a, new Sampling.Cob(Sampling.Kind.INTER, c.randomRange(), 0), 1000L + seed);
            Model moved = OrbitAction.apply(model, a, g);
            teleportSeconds += (System.nanoTime() - t) / 1e9;
            teleports++;
            NdArray x = train.size() >= c.batch() ? firstRows(train, c.batch()) : firstRows(train, train.size());
            verify(model, moved, x, worst, verifySeconds);
            model = moved;
        }
        Teleporter.Spec armSpec = armSpec(arm, c);
        Teleporter teleporter = armSpec == null ? null : teleporter(armSpec, a, worst, verifySeconds);
        double[] acc = new double[c.epochs()], trainLoss = new double[c.epochs()], testLoss = new double[c.epochs()], secs = new double[c.epochs()];
        double elapsed = teleportSeconds;
        try (TrainableModel tm = new TrainableModel(model); Optimizer opt = s.make()) {
            // epoch seconds include the teleports and their ONNX Runtime checks; the checks are not training time
            double[] verifiedBy = new double[c.epochs()];
            double initialChecks = verifySeconds[0];
            List<EpochStats> history = Trainer.fit(tm, opt, train, test, new Trainer.Config(c.epochs(), c.batch(), s.lr(), new Schedule.Constant(), seed,
                    new Loss.CrossEntropy(), true), (st, m, o) -> verifiedBy[st.epoch() - 1] = verifySeconds[0] - initialChecks, teleporter);
            for (int e = 0; e < history.size(); e++) {
                EpochStats h = history.get(e);
                acc[e] = h.testAccuracy();
                trainLoss[e] = h.trainLoss();
                testLoss[e] = h.testLoss();
                elapsed += h.seconds();
                secs[e] = elapsed - verifiedBy[e];
            }
            if (teleporter != null) {
                teleportSeconds += teleporter.seconds();
                teleports += teleporter.results().size();
            }
        }
        double epochsTo = Double.NaN, secondsTo = Double.NaN;
        for (int e = 0; e < acc.length; e++) {
            if (acc[e] >= c.target()) {
                epochsTo = e + 1;
                secondsTo = secs[e];
                break;
            }
        }
        return new Run(seed, acc, trainLoss, testLoss, secs, teleportSeconds, teleports, worst[0], verifySeconds[0], epochsTo, secondsTo);
    }

    /** A purposeful arm's teleport (null for none and random). */
    private static Teleporter.Spec armSpec(Arm arm, Config c) {
        return switch (arm) {
            case GRAD_NORM -> new Teleporter.Spec("grad-norm", c.every(), c.steps(), c.lr(), c.bound());
            case SHARPNESS -> sharpnessSpec(c);
            case ENORM -> new Teleporter.Spec("weight-norm", c.every(), c.steps(), c.enormLr(), c.bound());
            case NONE, RANDOM -> null;
        };
    }

    /** The sharpness arm's teleport: the curvature objective on its sample of the batch, the shared schedule, steps and lr. */
    public static Teleporter.Spec sharpnessSpec(Config c) {
        return new Teleporter.Spec(c.sharpness(), c.every(), c.steps(), c.lr(), c.bound(), c.sharpnessSample());
    }

    private static Teleporter teleporter(Teleporter.Spec spec, SymmetryAnalysis a, double[] worst, double[] verifySeconds) {
        return new Teleporter(spec, a, ev -> verify(ev.before(), ev.after(), ev.x(), worst, verifySeconds));
    }

    /** The moved model against the unmoved one in ONNX Runtime on the batch; a failure stops the run. */
    private static void verify(Model before, Model after, NdArray x, double[] worst, double[] verifySeconds) {
        long t = System.nanoTime();
        VerifyReport r = Verifier.compareInOrt(before, "before teleport", after, "after teleport",
                Map.of(before.graph().inputs().getFirst().name(), x), x.dim(0) + " training digits", Tolerance.MOVE);
        if (!r.passedAndFinite()) throw new IllegalStateException("a teleport failed verification in ONNX Runtime: " + r.toText());
        worst[0] = Math.max(worst[0], r.worstRelError());
        verifySeconds[0] += (System.nanoTime() - t) / 1e9;
    }

    private static NdArray firstRows(Batches b, int n) {
        long[] order = new long[n];
        for (int i = 0; i < n; i++) order[i] = i;
        try (var scope = new org.bytedeco.javacpp.PointerScope()) {
            return NdArray.fromTorch(b.batch(order, 0, n)[0]);
        }
    }

    /** The machine's load average and cores when the run ended (the machine is shared). */
    static String load() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return String.format("load average %.1f on %d cores", os.getSystemLoadAverage(), os.getAvailableProcessors());
    }
}
