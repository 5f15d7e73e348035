package dev.orbit.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.orbit.graph.Model;
import dev.orbit.graph.build.ArchSpec;
import dev.orbit.graph.build.NetworkBuilder;
import dev.orbit.io.idx.MnistData;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.symmetry.SymmetryAnalysis;
import dev.orbit.train.Batches;
import dev.orbit.train.Initializer;
import dev.orbit.train.Loss;
import dev.orbit.train.Optimizer;
import dev.orbit.train.Schedule;
import dev.orbit.train.Teleporter;
import dev.orbit.train.TrainableModel;
import dev.orbit.train.Trainer;

/**
 * The cost of one purposeful teleport in SGD steps (issue 19): per architecture, alternating rounds of (a) one epoch of
 * plain SGD at batch 64 on the 8,000 bundled digits (time per step) and (b) one teleport per objective at that batch
 * size with the symmetry-teleport experiment's settings (steps, lr), moving weights and optimiser state. Prints
 * {@code teleport ARCH OBJECTIVE steps=S sgd_step_ms=… teleport_ms=… cost_in_sgd_steps=…} with medians over rounds.
 * Usage: TeleportCostBench [threads (default 2)] [rounds (default 3)] [teleport steps (default 5)].
 */
public final class TeleportCostBench {
    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        org.bytedeco.pytorch.global.torch.set_num_threads(threads);
        MnistData data = MnistData.bundled(MnistData.Split.TRAIN);
        for (String arch : List.of("mlp:784-128-128-10:relu", "cnn:1x28x28-c16-p-c32-p-fc64-10:relu")) {
            Model initial = NetworkBuilder.build(ArchSpec.parse(arch), Initializer.parse("kaiming"), 1);
            SymmetryAnalysis a = SpaceAnalyzer.analyze(initial);
            long[] shape = arch.startsWith("cnn") ? new long[] {data.size(), 1, 28, 28} : new long[] {data.size(), 784};
            List<Double> stepMs = new ArrayList<>();
            java.util.Map<String, List<Double>> teleMs = new java.util.LinkedHashMap<>();
            try (Batches train = new Batches(data.images().reshape(shape), data.labels())) {
                for (int r = 0; r <= rounds; r++) {
                    try (TrainableModel model = new TrainableModel(initial); Optimizer opt = new Optimizer.Sgd(0, false, 0)) {
                        long t0 = System.nanoTime();
                        Trainer.fit(model, opt, train, null, new Trainer.Config(1, 64, 0.01, new Schedule.Constant(), r, new Loss.CrossEntropy(), true), null);
                        double ms = (System.nanoTime() - t0) / 1e6 / Math.ceil(data.size() / 64.0);
                        if (r > 0) stepMs.add(ms); // round 0 warms up
                        long[] order = train.order(r, 0);
                        for (String objective : Teleporter.Spec.OBJECTIVES) {
                            var spec = Teleporter.Spec.parse(objective + ":every=0:steps=" + steps);
                            var tp = new Teleporter(spec, a, null);
                            long t1 = System.nanoTime();
                            tp.before(0, model, opt, train, order, 0, 64);
                            double tms = (System.nanoTime() - t1) / 1e6;
                            if (r > 0) teleMs.computeIfAbsent(objective, k -> new ArrayList<>()).add(tms);
                        }
                    }
                }
            }
            double step = median(stepMs.stream().mapToDouble(Double::doubleValue).toArray());
            for (var e : teleMs.entrySet()) {
                double t = median(e.getValue().stream().mapToDouble(Double::doubleValue).toArray());
                System.out.printf(Locale.ROOT, "teleport %s %s steps=%d sgd_step_ms=%.3f teleport_ms=%.1f cost_in_sgd_steps=%.1f%n",
                        arch, e.getKey(), steps, step, t, t / step);
            }
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
