package dev.orbit.landscape;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

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
import dev.orbit.train.Initializer;
import dev.orbit.train.Loss;
import dev.orbit.train.Optimizer;
import dev.orbit.train.Schedule;
import dev.orbit.train.TrainableModel;
import dev.orbit.train.Trainer;

/**
 * Neural teleportation's training claims: one teleportation (inter-landscape, r = 0.9) at initialisation speeds up
 * SGD with and without momentum, for several activations and initialisers, while a pseudo-teleportation (a
 * random shift of each layer with the same L1 size as a real teleport) does not; and a teleport in the middle of
 * training ({@code atEpoch}) makes the accuracy jump. Each setting runs three arms on the same seeds: plain,
 * teleported, pseudo-teleported.
 */
public final class TeleportTraining {
    public enum Arm { PLAIN, TELEPORT, PSEUDO }

    /** One setting of the grid. {@code momentum} 0 is plain SGD. */
    public record Setting(String activation, String init, double lr, double momentum) {
        public String label() {
            return activation + ", " + init + ", lr " + lr + (momentum > 0 ? ", momentum " + momentum : ", plain SGD");
        }
    }

    public record Config(String hidden, List<Setting> settings, int seeds, int epochs, int batch, double range,
                         int atEpoch, int trainSamples, double target) {}

    /** Test accuracy per epoch (rows: seeds) for one arm of one setting. */
    public record ArmResult(Arm arm, double[][] accuracy, double[] epochsToTarget) {}

    public record SettingResult(Setting setting, List<ArmResult> arms) {}

    public record Result(Config config, List<SettingResult> results) {}

    /** One run of the grid: setting (index into the configuration's settings), arm, seed. */
    public record Task(int setting, Arm arm, int seed) {}

    /** A task's test accuracy per epoch. */
    public record Part(double[] accuracy) {}

    private TeleportTraining() {}

    /** The default grid, sized for about ten minutes on 2 cores. */
    public static List<Setting> defaultGrid() {
        List<Setting> s = new ArrayList<>();
        for (double m : new double[] {0, 0.9}) {
            for (String act : List.of("relu", "tanh", "elu", "leakyrelu")) s.add(new Setting(act, "kaiming", 0.01, m));
            for (double lr : new double[] {0.1, 0.001}) s.add(new Setting("relu", "kaiming", lr, m));
            for (String init : List.of("xavier", "gaussian:0.02")) s.add(new Setting("relu", init, 0.01, m));
        }
        return s;
    }

    public static Result run(MnistData train, MnistData test, Config c, java.util.function.IntConsumer progress) {
        MnistData tr = train.head(c.trainSamples());
        List<Task> tasks = tasks(c);
        List<Part> parts = new ArrayList<>();
        try (Batches trainB = Batches.of(tr); Batches testB = Batches.of(test)) {
            for (Task t : tasks) {
                parts.add(new Part(runOne(c.settings().get(t.setting()), t.arm(), t.seed(), c, trainB, testB)));
                if (progress != null) progress.accept(parts.size());
            }
        }
        return merge(c, tasks, parts);
    }

    /** Every (setting, arm, seed) of the grid, in the order {@link #merge} reads them. */
    public static List<Task> tasks(Config c) {
        List<Task> out = new ArrayList<>();
        for (int s = 0; s < c.settings().size(); s++) {
            for (Arm arm : Arm.values()) for (int seed = 0; seed < c.seeds(); seed++) out.add(new Task(s, arm, seed));
        }
        return out;
    }

    /** One task on its own (a sweep worker): loads the bundled digits, trains, returns the accuracy curve. */
    public static Part runTask(MnistData train, MnistData test, Config c, Task t) {
        try (Batches trainB = Batches.of(train.head(c.trainSamples())); Batches testB = Batches.of(test)) {
            return new Part(runOne(c.settings().get(t.setting()), t.arm(), t.seed(), c, trainB, testB));
        }
    }

    /** The result from the tasks' parts (task order of {@link #tasks}); a missing part (a failed task) is a curve of NaN. */
    public static Result merge(Config c, List<Task> tasks, List<Part> parts) {
        List<SettingResult> results = new ArrayList<>();
        for (int s = 0; s < c.settings().size(); s++) {
            List<ArmResult> arms = new ArrayList<>();
            for (Arm arm : Arm.values()) {
                double[][] acc = new double[c.seeds()][];
                double[] toTarget = new double[c.seeds()];
                for (int i = 0; i < tasks.size(); i++) {
                    Task t = tasks.get(i);
                    if (t.setting() != s || t.arm() != arm) continue;
                    Part p = parts.get(i);
                    acc[t.seed()] = p != null ? p.accuracy() : nan(c.epochs());
                    toTarget[t.seed()] = epochsTo(acc[t.seed()], c.target());
                }
                arms.add(new ArmResult(arm, acc, toTarget));
            }
            results.add(new SettingResult(c.settings().get(s), arms));
        }
        return new Result(c, results);
    }

    private static double[] nan(int n) {
        double[] x = new double[n];
        java.util.Arrays.fill(x, Double.NaN);
        return x;
    }

    private static double[] runOne(Setting s, Arm arm, int seed, Config c, Batches train, Batches test) {
        String spec = "mlp:784-" + c.hidden() + "-10:" + s.activation();
        Model model = NetworkBuilder.build(ArchSpec.parse(spec), Initializer.parse(s.init()), seed);
        SymmetryAnalysis a = SpaceAnalyzer.analyze(model);
        GroupElement g = Sampling.scales(a, new Sampling.Cob(Sampling.Kind.INTER, c.range(), 0), 1000L + seed);
        if (c.atEpoch() == 0) model = move(model, a, g, arm, seed);
        double[] acc = new double[c.epochs()];
        try (TrainableModel tm = new TrainableModel(model);
             Optimizer opt = new Optimizer.Sgd(s.momentum(), false, 0)) {
            Trainer.fit(tm, opt, train, test, new Trainer.Config(c.epochs(), c.batch(), s.lr(), new Schedule.Constant(), seed,
                    new Loss.CrossEntropy(), true), (stats, m, o) -> {
                        acc[stats.epoch() - 1] = stats.testAccuracy();
                        if (c.atEpoch() > 0 && stats.epoch() == c.atEpoch() && arm != Arm.PLAIN) {
                            if (arm == Arm.TELEPORT) {
                                Trainer.teleport(m, o, a, g);
                            } else {
                                m.replace(move(m.snapshot(), a, g, arm, seed));
                                o.reset();
                            }
                        }
                    });
        }
        return acc;
    }

    /** The teleport itself, or the pseudo-teleport: per parameter, random noise with the teleport's L1 size. */
    public static Model move(Model model, SymmetryAnalysis a, GroupElement g, Arm arm, int seed) {
        if (arm == Arm.PLAIN) return model;
        Model teleported = OrbitAction.apply(model, a, g);
        if (arm == Arm.TELEPORT) return teleported;
        SplittableRandom rng = new SplittableRandom(7_000L + seed);
        Map<String, NdArray> shifted = new LinkedHashMap<>();
        for (var e : model.graph().parameters().entrySet()) {
            NdArray w = e.getValue();
            NdArray v = teleported.graph().parameter(e.getKey());
            if (!w.dtype().isFloating() || v == null) continue;
            float[] x = w.toFloatArray();
            float[] y = v.toFloatArray();
            double l1 = 0;
            for (int i = 0; i < x.length; i++) l1 += Math.abs(y[i] - x[i]);
            if (l1 == 0) continue;
            double[] noise = new double[x.length];
            double nl1 = 0;
            for (int i = 0; i < x.length; i++) {
                noise[i] = Math.sqrt(-2 * Math.log1p(-rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
                nl1 += Math.abs(noise[i]);
            }
            float[] z = new float[x.length];
            for (int i = 0; i < x.length; i++) z[i] = (float) (x[i] + noise[i] * l1 / nl1);
            shifted.put(e.getKey(), NdArray.ofFloats(z, w.shape()));
        }
        return model.withGraph(model.graph().withParameters(shifted));
    }

    /** First epoch (1-based) whose test accuracy reaches the target, or NaN. */
    static double epochsTo(double[] acc, double target) {
        for (int i = 0; i < acc.length; i++) if (acc[i] >= target) return i + 1;
        return Double.NaN;
    }
}
