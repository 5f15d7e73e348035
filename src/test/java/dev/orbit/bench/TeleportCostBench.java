package dev.orbit.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.orbit.graph.Model;
import dev.orbit.graph.build.ArchSpec;
import dev.orbit.graph.build.NetworkBuilder;
import dev.orbit.io.idx.MnistData;
import dev.orbit.landscape.SymmetryTeleport;
import dev.orbit.landscape.SymmetryTeleportExperiment;
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
 * size (default steps and lr), moving weights and optimiser state, and the symmetry-teleport experiment's sharpness
 * arm as it is pinned ({@link SymmetryTeleport#sharpnessSpec}); with SPECs given, the pinned arm and those only. Prints
 * {@code teleport ARCH SPEC sgd_step_ms=… teleport_ms=… cost_in_sgd_steps=…} and the same in the process's CPU time
 * (all threads), medians over rounds, and the load average at the end. On a loaded machine run it with 1 thread: the
 * CPU figures then hold (with 2, libtorch's OpenMP workers spin while they wait for a core and inflate them).
 * Usage: TeleportCostBench [threads (default 2)] [rounds (default 3)] [teleport steps (default 5)] [SPEC…], a SPEC as
 * {@code orbit train --teleport} takes it (e.g. {@code trace:steps=3:sample=16}).
 */
public final class TeleportCostBench {
    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        List<Teleporter.Spec> specs = new ArrayList<>();
        if (args.length <= 3) for (String objective : Teleporter.Spec.OBJECTIVES) specs.add(Teleporter.Spec.parse(objective + ":every=0:steps=" + steps));
        specs.add(SymmetryTeleport.sharpnessSpec(new SymmetryTeleportExperiment().defaults()));
        for (int i = 3; i < args.length; i++) specs.add(Teleporter.Spec.parse(args[i]));
        org.bytedeco.pytorch.global.torch.set_num_threads(threads);
        MnistData data = MnistData.bundled(MnistData.Split.TRAIN);
        for (String arch : List.of("mlp:784-128-128-10:relu", "cnn:1x28x28-c16-p-c32-p-fc64-10:relu")) {
            Model initial = NetworkBuilder.build(ArchSpec.parse(arch), Initializer.parse("kaiming"), 1);
            SymmetryAnalysis a = SpaceAnalyzer.analyze(initial);
            long[] shape = arch.startsWith("cnn") ? new long[] {data.size(), 1, 28, 28} : new long[] {data.size(), 784};
            List<Double> stepMs = new ArrayList<>(), stepCpu = new ArrayList<>();
            java.util.Map<String, List<Double>> teleMs = new java.util.LinkedHashMap<>(), teleCpu = new java.util.LinkedHashMap<>();
            try (Batches train = new Batches(data.images().reshape(shape), data.labels())) {
                for (int r = 0; r <= rounds; r++) {
                    try (TrainableModel model = new TrainableModel(initial); Optimizer opt = new Optimizer.Sgd(0, false, 0)) {
                        long t0 = System.nanoTime(), c0 = cpuNanos();
                        Trainer.fit(model, opt, train, null, new Trainer.Config(1, 64, 0.01, new Schedule.Constant(), r, new Loss.CrossEntropy(), true), null);
                        double perEpoch = Math.ceil(data.size() / 64.0);
                        if (r > 0) { // round 0 warms up
                            stepMs.add((System.nanoTime() - t0) / 1e6 / perEpoch);
                            stepCpu.add((cpuNanos() - c0) / 1e6 / perEpoch);
                        }
                        long[] order = train.order(r, 0);
                        for (Teleporter.Spec spec : specs) {
                            var tp = new Teleporter(spec, a, null);
                            long t1 = System.nanoTime(), c1 = cpuNanos();
                            tp.before(0, model, opt, train, order, 0, 64);
                            if (r > 0) {
                                teleMs.computeIfAbsent(spec.toString(), k -> new ArrayList<>()).add((System.nanoTime() - t1) / 1e6);
                                teleCpu.computeIfAbsent(spec.toString(), k -> new ArrayList<>()).add((cpuNanos() - c1) / 1e6);
                            }
                        }
                    }
                }
            }
            double step = median(stepMs), stepC = median(stepCpu);
            for (var e : teleMs.entrySet()) {
                double t = median(e.getValue()), tc = median(teleCpu.get(e.getKey()));
                System.out.printf(Locale.ROOT, "teleport %s %s sgd_step_ms=%.3f teleport_ms=%.1f cost_in_sgd_steps=%.1f "
                        + "sgd_step_cpu_ms=%.3f teleport_cpu_ms=%.1f cpu_cost_in_sgd_steps=%.1f%n", arch, e.getKey(), step, t, t / step, stepC, tc, tc / stepC);
            }
            System.out.printf(Locale.ROOT, "load average %.1f%n", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    /** This process's CPU time, all threads (libtorch's, the collector's): on a shared machine wall-clock alone misleads. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double median(List<Double> v) {
        double[] s = v.stream().mapToDouble(Double::doubleValue).toArray();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
