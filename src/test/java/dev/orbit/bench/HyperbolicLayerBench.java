package dev.orbit.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

import dev.orbit.geometry.LayerIsometry;
import dev.orbit.graph.Model;
import dev.orbit.hyperbolic.HyperbolicNet;
import dev.orbit.hyperbolic.HyperbolicTraining;
import dev.orbit.io.idx.MnistData;
import dev.orbit.ops.length.HyperbolicLengthProduct;
import dev.orbit.tensor.NdArray;
import dev.orbit.train.Batches;
import dev.orbit.train.Loss;
import dev.orbit.train.Optimizer;
import dev.orbit.train.Schedule;
import dev.orbit.train.TrainableModel;
import dev.orbit.train.Trainer;

/**
 * Issue 21 item 5: one training epoch (forward, backward, Adam step; float64; batch 64; the 8,000 bundled digits) of
 * (a) a hyperbolic length-product layer 784→64 as {@code hyperbolic-train} builds it (H², horocycle embedding,
 * identity frame, then BatchNorm) against (b) the MLP peer of the same width ({@link HyperbolicTraining#mlpPeer}:
 * Gemm 784→64), alternating which goes first. Prints per round the wall and process-CPU seconds of each and the
 * ratio (a)/(b), then min/median/max per side and the median ratios. Then the elementwise floor: one epoch's worth of
 * batches (125) of a single asinh pass, of a single multiply, and of asinh(√t) as ln(√t + √(t + 1)) from vectorised
 * primitives (the op's route) over a [64, 64, 784] float64 tensor, forward only (the layer's pairwise terms): no route
 * built from elementwise libtorch ops can beat a handful of these.
 * Usage: HyperbolicLayerBench [threads (default 2)] [rounds (default 3)].
 */
public final class HyperbolicLayerBench {
    private static final int BATCH = 64;

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        org.bytedeco.pytorch.global.torch.set_num_threads(threads);
        MnistData data = MnistData.bundled(MnistData.Split.TRAIN);
        Model hyperbolic = HyperbolicNet.build(new HyperbolicNet.Spec(List.of(784, 64), new LayerIsometry.Geometry.Plane(),
                HyperbolicLengthProduct.Embedding.HOROCYCLE), 1);
        Model mlp = HyperbolicTraining.mlpPeer(List.of(784, 64), 1);
        List<Double> hw = new ArrayList<>(), hc = new ArrayList<>(), mw = new ArrayList<>(), mc = new ArrayList<>();
        List<Double> ratioWall = new ArrayList<>(), ratioCpu = new ArrayList<>();
        System.out.printf(Locale.ROOT, "threads=%d rounds=%d batch=%d samples=%d%n", threads, rounds, BATCH, data.size());
        try (Batches train = HyperbolicTraining.batches(data)) {
            for (int r = 0; r <= rounds; r++) { // round 0 warms up
                double[] h, m;
                if (r % 2 == 0) {
                    h = epoch(hyperbolic, train, r);
                    m = epoch(mlp, train, r);
                } else {
                    m = epoch(mlp, train, r);
                    h = epoch(hyperbolic, train, r);
                }
                if (r == 0) continue;
                hw.add(h[0]); hc.add(h[1]); mw.add(m[0]); mc.add(m[1]);
                ratioWall.add(h[0] / m[0]);
                ratioCpu.add(h[1] / m[1]);
                System.out.printf(Locale.ROOT, "round %d hyperbolic wall=%.3fs cpu=%.3fs  mlp wall=%.3fs cpu=%.3fs  ratio wall=%.1f cpu=%.1f  load=%.1f%n",
                        r, h[0], h[1], m[0], m[1], h[0] / m[0], h[1] / m[1], LoadAverage.now());
            }
        }
        summary("hyperbolic epoch wall s", hw);
        summary("hyperbolic epoch cpu s", hc);
        summary("mlp epoch wall s", mw);
        summary("mlp epoch cpu s", mc);
        System.out.printf(Locale.ROOT, "median ratio hyperbolic/mlp wall=%.1f cpu=%.1f%n", median(ratioWall), median(ratioCpu));
        floor(data.size(), threads);
        System.out.printf(Locale.ROOT, "load average %.1f%n", LoadAverage.now());
    }

    /** Wall and CPU seconds of one epoch from a fresh copy of the model (Adam, constant lr 1e-3). */
    private static double[] epoch(Model initial, Batches train, int seed) {
        try (TrainableModel model = new TrainableModel(initial); Optimizer opt = new Optimizer.Adam(0.9, 0.999, 1e-8, 0)) {
            long t0 = System.nanoTime(), c0 = cpuNanos();
            Trainer.fit(model, opt, train, null, new Trainer.Config(1, BATCH, 1e-3, new Schedule.Constant(), seed, new Loss.CrossEntropy(), true), null);
            return new double[] {(System.nanoTime() - t0) / 1e9, (cpuNanos() - c0) / 1e9};
        }
    }

    /** One asinh pass, one multiply and one ln(√t + √(t + 1)) over the pairwise-term tensor, once per batch of an epoch, three times each. */
    private static void floor(int samples, int threads) {
        long batches = (samples + BATCH - 1) / BATCH;
        double[] v = new double[BATCH * 64 * 784];
        var rng = new java.util.SplittableRandom(3);
        for (int i = 0; i < v.length; i++) v[i] = rng.nextDouble() * 4;
        try (PointerScope outer = new PointerScope()) {
            Tensor t = NdArray.ofDoubles(v, BATCH, 64, 784).toTorch();
            for (String what : List.of("asinh", "mul", "ln(sqrt+sqrt)", "asinh", "mul", "ln(sqrt+sqrt)")) {
                long t0 = System.nanoTime(), c0 = cpuNanos();
                for (long b = 0; b < batches; b++) {
                    try (PointerScope scope = new PointerScope()) {
                        Tensor y = switch (what) {
                            case "asinh" -> t.asinh();
                            case "mul" -> t.mul(t);
                            default -> t.sqrt().add(t.add(new org.bytedeco.pytorch.Scalar(1.0)).sqrt()).log(); // asinh(√t), 5 passes
                        };
                        y.numel();
                    }
                }
                System.out.printf(Locale.ROOT, "floor one %s pass over [%d, 64, 784] float64 x %d batches: wall=%.3fs cpu=%.3fs (%d threads)%n",
                        what, BATCH, batches, (System.nanoTime() - t0) / 1e9, (cpuNanos() - c0) / 1e9, threads);
            }
        }
    }

    private static void summary(String label, List<Double> v) {
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "%s min=%.3f median=%.3f max=%.3f%n", label, s[0], median(v), s[s.length - 1]);
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double median(List<Double> v) {
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
