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
import dev.orbit.symmetry.TrainingModeBatchNorm;
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

    /**
     * One setting of the grid: an architecture ({@link ArchSpec} without its activation, e.g. {@code mlp:784-128-128-10} or
     * {@code cnn:1x28x28-c16-p-c32-p-fc64-10}), the activation, initialiser, learning rate, optimiser ({@code sgd},
     * {@code momentum} = SGD with momentum 0.9, or {@code adam} with β = (0.9, 0.999), ε = 1e-8), and the run's size:
     * epochs and training digits (the first N of the bundled training set).
     */
    public record Setting(String arch, String activation, String init, double lr, String optimizer, int epochs, int trainSamples) {
        public Setting {
            if (!OPTIMIZERS.contains(optimizer)) throw new IllegalArgumentException("unknown optimizer '" + optimizer + "' (one of " + String.join(", ", OPTIMIZERS) + ")");
            if (epochs <= 0 || trainSamples <= 0) throw new IllegalArgumentException("epochs and training digits must be positive");
        }

        public String label() {
            String opt = switch (optimizer) {
                case "sgd" -> "plain SGD";
                case "momentum" -> "momentum 0.9";
                default -> "Adam";
            };
            return arch + ", " + activation + ", " + init + ", lr " + lr + ", " + opt;
        }

        /** The full architecture spec, activation included. */
        public ArchSpec spec() { return ArchSpec.parse(arch + ":" + activation); }

        Optimizer makeOptimizer() {
            return switch (optimizer) {
                case "sgd" -> new Optimizer.Sgd(0, false, 0);
                case "momentum" -> new Optimizer.Sgd(0.9, false, 0);
                default -> new Optimizer.Adam(0.9, 0.999, 1e-8, 0);
            };
        }

        /** The same setting with another size. */
        public Setting sized(int newEpochs, int newTrainSamples) {
            return new Setting(arch, activation, init, lr, optimizer, newEpochs, newTrainSamples);
        }
    }

    /** The optimisers a setting may name. */
    public static final List<String> OPTIMIZERS = List.of("sgd", "momentum", "adam");

    /**
     * The grid: settings, seeds per setting, batch, the teleport's range r, the epoch after which it teleports (0: at
     * initialisation), the accuracy whose epoch is reported.
     */
    public record Config(List<Setting> settings, int seeds, int batch, double range, int atEpoch, double target) {
        public Config { settings = List.copyOf(settings); }

        /** Every setting with {@code epochs} and {@code trainSamples}, and {@code seeds} seeds. */
        public Config resized(int newSeeds, int epochs, int trainSamples) {
            return new Config(settings.stream().map(s -> s.sized(epochs, trainSamples)).toList(), newSeeds, batch, range, atEpoch, target);
        }

        /** The longest run's epochs. */
        public int maxEpochs() { return settings.stream().mapToInt(Setting::epochs).max().orElse(0); }

        /** The shortest run's epochs (a teleport after epoch K needs K below it). */
        public int minEpochs() { return settings.stream().mapToInt(Setting::epochs).min().orElse(0); }
    }

    /** Test accuracy per epoch (rows: seeds) for one arm of one setting. */
    public record ArmResult(Arm arm, double[][] accuracy, double[] epochsToTarget) {}

    public record SettingResult(Setting setting, List<ArmResult> arms) {}

    public record Result(Config config, List<SettingResult> results) {}

    /** One run of the grid: setting (index into the configuration's settings), arm, seed. */
    public record Task(int setting, Arm arm, int seed) {}

    /** A task's test accuracy per epoch. */
    public record Part(double[] accuracy) {}

    private TeleportTraining() {}

    /** An activation, initialiser and learning rate: what a grid tries per architecture and optimiser. */
    public record Recipe(String activation, String init, double lr) {}

    /**
     * The grid presets. Each lists, per optimiser, the recipes tried on every architecture; the grid is architectures ×
     * optimisers × recipes, in that order.
     */
    public enum Grid {
        /** The MLP study of issue 7: four activations, three learning rates, three initialisers (Adam: learning rates ÷ 10). */
        DEFAULT(List.of("mlp:784-128-128-10"), List.of("sgd", "momentum")),
        /**
         * The paper's grid scaled to the bundled digits (neural teleportation, figs. 6, 8–10: architectures × activations ×
         * learning rates × optimisers): an MLP, a small CNN, a VGG-style net and a small ResNet; ReLU with plain SGD and
         * momentum at lr 0.01 and 0.001 and Adam at 0.001, tanh with plain SGD at 0.01; Kaiming initialisation.
         */
        PAPER(List.of("mlp:784-128-128-10", "cnn:1x28x28-c16-p-c32-p-fc64-10", "cnn:1x28x28-c16x2-p-c32x2-p-fc64-10",
                "resnet:1x28x28-16x2-32x2-10"), List.of("sgd", "momentum", "adam"));

        private final List<String> archs;
        private final List<String> optimizers;

        Grid(List<String> archs, List<String> optimizers) {
            this.archs = archs;
            this.optimizers = optimizers;
        }

        public List<String> archs() { return archs; }

        public List<String> optimizers() { return optimizers; }

        public List<Recipe> recipes(String optimizer) {
            double scale = optimizer.equals("adam") ? 0.1 : 1;
            return switch (this) {
                case DEFAULT -> {
                    List<Recipe> r = new ArrayList<>();
                    for (String act : List.of("relu", "tanh", "elu", "leakyrelu")) r.add(new Recipe(act, "kaiming", 0.01 * scale));
                    for (double lr : new double[] {0.1, 0.001}) r.add(new Recipe("relu", "kaiming", lr * scale));
                    for (String init : List.of("xavier", "gaussian:0.02")) r.add(new Recipe("relu", init, 0.01 * scale));
                    yield r;
                }
                case PAPER -> switch (optimizer) {
                    case "sgd" -> List.of(new Recipe("relu", "kaiming", 0.01), new Recipe("relu", "kaiming", 0.001), new Recipe("tanh", "kaiming", 0.01));
                    case "momentum" -> List.of(new Recipe("relu", "kaiming", 0.01), new Recipe("relu", "kaiming", 0.001));
                    default -> List.of(new Recipe("relu", "kaiming", 0.001));
                };
            };
        }
    }

    /** A run's size: epochs and training digits. */
    public record Size(int epochs, int trainSamples) {}

    /**
     * The size of each architecture's runs unless set. Per epoch the conv nets cost more than the MLP on the same digits
     * (task CPU seconds, docs/SWEEPS.md "The paper grid": small CNN 1.8×, VGG-style 4.3×, ResNet 9.6×), so they see fewer
     * digits and epochs, which keeps the paper grid's cost at about the default MLP grid's; the MLP keeps 8 epochs of 8,000.
     */
    public static Size size(String arch) {
        return switch (arch) {
            case "cnn:1x28x28-c16-p-c32-p-fc64-10" -> new Size(3, 3000);
            case "cnn:1x28x28-c16x2-p-c32x2-p-fc64-10" -> new Size(3, 2000);
            case "resnet:1x28x28-16x2-32x2-10" -> new Size(2, 2000);
            default -> arch.startsWith("mlp:") ? new Size(8, 8000) : arch.startsWith("resnet:") ? new Size(2, 2000) : new Size(3, 3000);
        };
    }

    /**
     * A grid: every architecture × optimiser × the preset's recipes for that optimiser; {@code size} gives each
     * architecture's epochs and digits.
     */
    public static List<Setting> grid(Grid preset, List<String> archs, List<String> optimizers, java.util.function.Function<String, Size> size) {
        List<Setting> s = new ArrayList<>();
        for (String arch : archs) {
            Size z = size.apply(arch);
            for (String opt : optimizers) {
                for (Recipe r : preset.recipes(opt)) s.add(new Setting(arch, r.activation(), r.init(), r.lr(), opt, z.epochs(), z.trainSamples()));
            }
        }
        return s;
    }

    /** The default grid: MLPs 784-{@code hidden}-10, plain SGD and momentum, sized for about ten minutes on 2 cores. */
    public static List<Setting> defaultGrid(String hidden, int epochs, int trainSamples) {
        return grid(Grid.DEFAULT, List.of("mlp:784-" + hidden + "-10"), Grid.DEFAULT.optimizers(), a -> new Size(epochs, trainSamples));
    }

    public static Result run(MnistData train, MnistData test, Config c, java.util.function.IntConsumer progress) {
        List<Task> tasks = tasks(c);
        List<Part> parts = new ArrayList<>();
        for (Task t : tasks) {
            parts.add(runTask(train, test, c, t));
            if (progress != null) progress.accept(parts.size());
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

    /** One task on its own (a sweep worker): the setting's digits in the architecture's input shape, trains, returns the accuracy curve. */
    public static Part runTask(MnistData train, MnistData test, Config c, Task t) {
        Setting s = c.settings().get(t.setting());
        ArchSpec spec = s.spec();
        try (Batches trainB = batches(train.head(s.trainSamples()), spec); Batches testB = batches(test, spec)) {
            return new Part(runOne(s, spec, t.arm(), t.seed(), c, trainB, testB));
        }
    }

    /** Digits as the network's input: flat rows for an MLP, 1×28×28 images for the conv nets. */
    private static Batches batches(MnistData d, ArchSpec spec) {
        if (spec instanceof ArchSpec.Mlp) return Batches.of(d);
        return new Batches(d.images().reshape(new long[] {d.images().dim(0), 1, 28, 28}), d.labels());
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
                    acc[t.seed()] = p != null ? p.accuracy() : nan(c.settings().get(s).epochs());
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

    /**
     * The analysis a teleport of a network in training uses: Orbit's space analysis, with BatchNorm's sites scaled on γ
     * rather than on the producer ({@link TrainingModeBatchNorm}: exact with batch statistics too; a no-op without BatchNorm).
     */
    public static SymmetryAnalysis analysis(Model model) {
        return TrainingModeBatchNorm.of(model, SpaceAnalyzer.analyze(model));
    }

    /** The teleport's group element for a seed: inter-landscape CoB factors of range r on every scalable space. */
    public static GroupElement element(SymmetryAnalysis a, double range, int seed) {
        return Sampling.scales(a, new Sampling.Cob(Sampling.Kind.INTER, range, 0), 1000L + seed);
    }

    private static double[] runOne(Setting s, ArchSpec spec, Arm arm, int seed, Config c, Batches train, Batches test) {
        Model model = NetworkBuilder.build(spec, Initializer.parse(s.init()), seed);
        SymmetryAnalysis a = analysis(model);
        GroupElement g = element(a, c.range(), seed);
        if (c.atEpoch() == 0) model = move(model, a, g, arm, seed);
        double[] acc = new double[s.epochs()];
        try (TrainableModel tm = new TrainableModel(model);
             Optimizer opt = s.makeOptimizer()) {
            Trainer.fit(tm, opt, train, test, new Trainer.Config(s.epochs(), c.batch(), s.lr(), new Schedule.Constant(), seed,
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
