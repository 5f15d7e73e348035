package dev.orbit.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import dev.orbit.Inputs;
import dev.orbit.Orbit;
import dev.orbit.graph.Model;
import dev.orbit.identity.CanonicalForm;
import dev.orbit.identity.Licensing;
import dev.orbit.identity.Membership;
import dev.orbit.identity.RotatedMoves;
import dev.orbit.io.idx.MnistData;
import dev.orbit.io.onnx.OnnxImporter;
import dev.orbit.numeric.Matrices;
import dev.orbit.symmetry.GroupElement;
import dev.orbit.symmetry.MatrixSampling;
import dev.orbit.symmetry.NeuronSpace;
import dev.orbit.symmetry.NormFolding;
import dev.orbit.symmetry.ResidualStream;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.symmetry.Sampling;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.symmetry.StreamRotation;
import dev.orbit.symmetry.SymmetryAnalysis;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;
import dev.orbit.train.Batches;
import dev.orbit.train.Loss;
import dev.orbit.train.Optimizer;
import dev.orbit.train.Schedule;
import dev.orbit.train.TrainableModel;
import dev.orbit.train.Trainer;

/**
 * The figures of docs/IDENTITY.md (bench/identity-figures.sh): exact recovery over random moves per model, two
 * independently trained models, the trace-accuracy table, and `orbit same` on the ~100 MB MLP.
 * Usage: IdentityFigures recovery MOVES MODEL... | rotated MOVES MODEL... | unrelated A B | trace IDS MODEL... | speed
 */
public final class IdentityFigures {
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "recovery" -> recovery(Integer.parseInt(args[1]), List.of(args).subList(2, args.length));
            case "rotated" -> rotated(Integer.parseInt(args[1]), List.of(args).subList(2, args.length));
            case "unrelated" -> unrelated(Path.of(args[1]), Path.of(args[2]));
            case "trace" -> trace(Integer.parseInt(args[1]), List.of(args).subList(2, args.length));
            case "speed" -> speed();
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    /** A random move: INTER r = 0.9 factors, permutations, GL(d) (κ = 10) and head scalings when the model has pairs. */
    static GroupElement move(SymmetryAnalysis a, long seed) {
        GroupElement g = Sampling.both(a, new Sampling.Cob(Sampling.Kind.INTER, 0.9, 1), seed);
        if (!a.pairs().isEmpty()) {
            g = g.withMatrices(MatrixSampling.pairs(a, 10, seed ^ 0x51ED270B27L)).withMatrices(MatrixSampling.headScalings(a, 2, seed ^ 0x2545F491L));
        }
        return g;
    }

    static void recovery(int moves, List<String> models) {
        System.out.printf("%-34s %6s %9s %12s %9s %12s %12s %9s%n", "model", "moves", "same", "perms exact", "interch.", "max scale err", "max resid",
                "median s");
        for (String path : models) {
            Model m = OnnxImporter.read(Path.of(path));
            SymmetryAnalysis a = SpaceAnalyzer.analyze(m);
            int same = 0;
            int permsExact = 0;
            double scaleErr = 0;
            double resid = 0;
            int twins = 0;
            double[] secs = new double[moves];
            for (int i = 0; i < moves; i++) {
                GroupElement g = move(a, 1000 + i);
                Model b = OrbitAction.apply(m, a, g);
                Membership.Result r = Membership.compare(m, b);
                secs[i] = r.seconds();
                if (r.verdict() == Membership.Verdict.SAME) same++;
                resid = Math.max(resid, r.maxResidual());
                GroupElement h = r.element();
                boolean exact = true;
                for (var e : g.permutations().entrySet()) {
                    int[] got = h.permutation(e.getKey(), e.getValue().length);
                    exact &= Membership.samePermutation(e.getValue(), got, r.interchangeable().get(e.getKey()));
                }
                twins = Math.max(twins, r.interchangeableUnits());
                if (exact) permsExact++;
                for (NeuronSpace s : a.spaces()) {
                    if (!g.scales().containsKey(s.id())) continue;
                    double[] t = g.scale(s.id(), s.size());
                    double[] u = h.scale(s.id(), s.size());
                    for (int j = 0; j < t.length; j++) scaleErr = Math.max(scaleErr, Math.abs(u[j] - t[j]) / Math.abs(t[j]));
                }
            }
            System.out.printf("%-34s %6d %5d/%-3d %8d/%-3d %9d %12.2e %12.2e %9.3f%n", Path.of(path).getFileName(), moves, same, moves, permsExact, moves,
                    twins, scaleErr, resid, EvaluatorBench.median(secs));
        }
        rotated(moves, models);
    }

    /**
     * Rotated moves (teleport --rotate-residual): every model whose residual stream rotates, after folding its norm
     * gains as the teleport does, moved by the random move above and a Haar rotation of each rotatable stream; `orbit
     * same` compares the original file with the copy. The stream absorbs the permutation of its class (and, without
     * norms, the scale of its own space), so its part of the element is compared as one matrix: the recovered map against
     * the move's P·D·Q ("max Q err", max abs entry); "max orth err" is max |QᵀQ − I| of the recovered rotation. "perms
     * exact" and "max scale err" cover the other classes and spaces.
     */
    static void rotated(int moves, List<String> models) {
        System.out.printf("%nrotated residual streams (Haar Q on every rotatable stream, after folding norm gains)%n");
        System.out.printf("%-34s %6s %9s %12s %12s %12s %12s %12s %9s%n", "model", "moves", "same", "perms exact", "max scale err", "max Q err",
                "max orth err", "max resid", "median s");
        for (String path : models) {
            Model m = OnnxImporter.read(Path.of(path));
            Model base = NormFolding.fold(m).model();
            SymmetryAnalysis a = SpaceAnalyzer.analyze(base);
            if (a.rotatableStreams().isEmpty()) continue;
            java.util.Set<Integer> streamClasses = new java.util.HashSet<>();
            for (ResidualStream st : a.rotatableStreams()) streamClasses.addAll(RotatedMoves.streamClasses(a, st));
            int same = 0;
            int permsExact = 0;
            double scaleErr = 0;
            double qErr = 0;
            double orthErr = 0;
            double resid = 0;
            double[] secs = new double[moves];
            for (int i = 0; i < moves; i++) {
                long seed = 1000 + i;
                GroupElement g = RotatedMoves.rotated(a, move(a, seed), seed);
                Model b = OrbitAction.apply(base, a, g);
                Membership.Result r = Membership.compare(m, b);
                secs[i] = r.seconds();
                if (r.verdict() == Membership.Verdict.SAME) same++;
                else System.err.printf("  %s seed %d: %s, max residual %.2e%n", Path.of(path).getFileName(), seed, r.verdict(), r.maxResidual());
                resid = Math.max(resid, r.maxResidual());
                GroupElement h = r.element();
                boolean exact = r.analysis().streams().size() == a.streams().size();
                for (var e : g.permutations().entrySet()) {
                    if (streamClasses.contains(e.getKey())) continue;
                    exact &= Membership.samePermutation(e.getValue(), h.permutation(e.getKey(), e.getValue().length), r.interchangeable().get(e.getKey()));
                }
                if (exact) permsExact++;
                for (NeuronSpace s : a.spaces()) {
                    if (!g.scales().containsKey(s.id()) || streamClasses.contains(s.permClass())) continue;
                    double[] t = g.scale(s.id(), s.size());
                    double[] u = h.scale(s.id(), s.size());
                    for (int j = 0; j < t.length; j++) scaleErr = Math.max(scaleErr, Math.abs(u[j] - t[j]) / Math.abs(t[j]));
                }
                for (ResidualStream st : a.rotatableStreams()) {
                    double[][] truth = RotatedMoves.streamMatrix(g, a, st);
                    qErr = Math.max(qErr, RotatedMoves.maxAbsDifference(RotatedMoves.streamMatrix(h, a, st), truth));
                    orthErr = Math.max(orthErr, h.matrices().stream().filter(x -> x.target().equals("stream:" + st.id()))
                            .mapToDouble(x -> Matrices.orthogonalityError(((StreamRotation) x).matrix())).max().orElse(0));
                }
            }
            System.out.printf("%-34s %6d %5d/%-3d %8d/%-3d %12.2e %12.2e %12.2e %12.2e %9.3f%n", Path.of(path).getFileName(), moves, same, moves, permsExact,
                    moves, scaleErr, qErr, orthErr, resid, EvaluatorBench.median(secs));
        }
    }

    static void unrelated(Path a, Path b) {
        Membership.Result r = Membership.compare(OnnxImporter.read(a), OnnxImporter.read(b));
        System.out.printf("%s vs %s: %s, largest residual %.4f (near ≤ %.2f, same ≤ %.2e), distance after alignment %.4f%n", a.getFileName(),
                b.getFileName(), r.verdict(), r.maxResidual(), Membership.NEAR_RESIDUAL, r.sameThreshold(), r.distance());
        r.residuals().forEach((k, v) -> System.out.printf("  %-30s %.4f%n", k, v));
    }

    interface Perturbation { Model apply(Model m, long seed); }

    static void trace(int n, List<String> models) {
        byte[] key = new byte[32];
        new SplittableRandom(42).nextBytes(key);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) ids.add("licensee-" + i);
        Map<String, Perturbation> perturbations = new java.util.LinkedHashMap<>();
        perturbations.put("none", (m, s) -> m);
        perturbations.put("float16 cast", (m, s) -> mapWeights(m, (w, r) -> { for (int i = 0; i < w.length; i++) w[i] = Float.float16ToFloat(Float.floatToFloat16((float) w[i])); }, s));
        perturbations.put("int8 per-channel rounding", (m, s) -> mapWeights(m, INT8, s));
        perturbations.put("10% magnitude pruning", (m, s) -> mapWeights(m, IdentityFigures::prune, s));
        perturbations.put("1% Gaussian noise", (m, s) -> mapWeights(m, (w, r) -> {
            double rms = Math.sqrt(java.util.Arrays.stream(w).map(x -> x * x).sum() / w.length);
            for (int i = 0; i < w.length; i++) w[i] += 0.01 * rms * r.nextGaussian();
        }, s));
        perturbations.put("1 epoch fine-tune (SGD lr 0.01, batch 64)", IdentityFigures::fineTune);
        perturbations.put("canonicalisation", (m, s) -> CanonicalForm.of(m).model());
        for (String path : models) {
            Model original = OnnxImporter.read(Path.of(path));
            var copies = Licensing.copies(original, key, ids);
            System.out.printf("%n%s: %d licensees%n%-44s %9s %14s %14s %9s%n", Path.of(path).getFileName(), n, "leaked copy", "accuracy", "median margin",
                    "min margin", "seconds");
            for (var p : perturbations.entrySet()) {
                long t0 = System.nanoTime();
                int hits = 0;
                double[] margins = new double[n];
                for (int i = 0; i < n; i++) {
                    Model leaked = p.getValue().apply(Licensing.license(original, key, ids.get(i)), i);
                    Licensing.Trace t = Licensing.trace(leaked, original, copies);
                    if (t.best().equals(ids.get(i))) hits++;
                    margins[i] = t.best().equals(ids.get(i)) ? t.margin() : -t.margin();
                }
                double min = java.util.Arrays.stream(margins).min().orElse(0);
                System.out.printf("%-44s %8.1f%% %14.3f %14.3f %9.1f%n", p.getKey(), 100.0 * hits / n, EvaluatorBench.median(margins), min,
                        (System.nanoTime() - t0) / 1e9);
            }
        }
    }

    interface WeightMap { void apply(double[] w, SplittableRandom rng); }

    /** Applies f to every weight tensor (floating, rank ≥ 1, more than one entry), stored back as float32. */
    static Model mapWeights(Model m, WeightMap f, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, NdArray> out = new java.util.LinkedHashMap<>(m.graph().parameters());
        for (var e : m.graph().parameters().entrySet()) {
            NdArray p = e.getValue();
            if (!p.dtype().isFloating() || p.size() <= 1) continue;
            double[] w = p.toDoubleArray();
            if (f instanceof RowWise rw) rw.apply(w, p.shape()); else f.apply(w, rng);
            float[] v = new float[w.length];
            for (int i = 0; i < w.length; i++) v[i] = (float) w[i];
            out.put(e.getKey(), NdArray.ofFloats(v, p.shape()).to(p.dtype() == DType.FLOAT64 ? DType.FLOAT64 : DType.FLOAT32));
        }
        return m.withGraph(m.graph().withParameters(out));
    }

    interface RowWise extends WeightMap {
        void apply(double[] w, long[] shape);
        default void apply(double[] w, SplittableRandom rng) { throw new UnsupportedOperationException(); }
    }

    /** Symmetric int8 rounding with one scale per slice of axis 0 (per output channel of a Conv/Gemm weight). */
    static final RowWise INT8 = (w, shape) -> {
        int rows = (int) shape[0];
        int per = w.length / rows;
        for (int r = 0; r < rows; r++) {
            double max = 0;
            for (int i = 0; i < per; i++) max = Math.max(max, Math.abs(w[r * per + i]));
            if (max == 0) continue;
            double s = max / 127;
            for (int i = 0; i < per; i++) w[r * per + i] = Math.rint(w[r * per + i] / s) * s;
        }
    };

    static void prune(double[] w, SplittableRandom rng) {
        double[] a = new double[w.length];
        for (int i = 0; i < w.length; i++) a[i] = Math.abs(w[i]);
        java.util.Arrays.sort(a);
        double cut = a[(int) Math.floor(0.1 * (w.length - 1))];
        for (int i = 0; i < w.length; i++) if (Math.abs(w[i]) <= cut) w[i] = 0;
    }

    static MnistData train;

    static Model fineTune(Model m, long seed) {
        if (train == null) train = MnistData.bundled(MnistData.Split.TRAIN);
        try (TrainableModel t = new TrainableModel(m); Batches b = new Batches(asInput(m, train.images()), train.labels());
             Optimizer opt = new Optimizer.Sgd(0, false, 0)) {
            Trainer.fit(t, opt, b, null, new Trainer.Config(1, 64, 0.01, new Schedule.Constant(), seed, new Loss.CrossEntropy(), true), null);
            return t.snapshot();
        }
    }

    /** The digits [n, 784] reshaped to the model's first input (n×1×28×28 for a CNN). */
    static NdArray asInput(Model m, NdArray images) {
        var shape = m.graph().inputs().getFirst().type().shape();
        long[] s = new long[shape.rank()];
        s[0] = images.dim(0);
        for (int i = 1; i < s.length; i++) s[i] = shape.dim(i).size();
        return images.reshape(s);
    }

    static void speed() throws Exception {
        long[] widths = {784, 4096, 4096, 1024, 10};
        Path dir = Files.createTempDirectory("orbit-identity");
        Path a = dir.resolve("mlp100mb.onnx");
        Path b = dir.resolve("moved.onnx");
        dev.orbit.io.onnx.OnnxExporter.write(EvaluatorBench.mlp(widths, 3), a);
        Model ma = OnnxImporter.read(a);
        SymmetryAnalysis an = SpaceAnalyzer.analyze(ma);
        dev.orbit.io.onnx.OnnxExporter.write(OrbitAction.apply(ma, an, move(an, 5)), b);
        System.out.printf("model %.1f MB, MLP %s%n", Files.size(a) / 1e6, java.util.Arrays.toString(widths));
        // the machine is shared: besides wall seconds, the CPU seconds of this process (all threads) during each part,
        // which bound what a quiet 2-core machine needs (wall ≥ CPU / 2)
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        for (int round = 0; round < 3; round++) {
            double load = os.getSystemLoadAverage();
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            var na = Orbit.load(a);
            var nb = Orbit.load(b);
            long c1 = os.getProcessCpuTime();
            var s = na.sameOrbitAs(nb);
            long t1 = System.nanoTime();
            long c2 = os.getProcessCpuTime();
            var report = s.verify(Inputs.random(16));
            long t2 = System.nanoTime();
            long c3 = os.getProcessCpuTime();
            System.out.printf("round %d: %s, max residual %.2e; load + align %.2f s (alignment alone %.2f s; CPU: load %.2f s, align %.2f s); "
                    + "ONNX Runtime check %.2f s (CPU %.2f s, %s); load average %.2f%n", round, s.verdict(), s.result().maxResidual(), (t1 - t0) / 1e9,
                    s.result().seconds(), (c1 - c0) / 1e9, (c2 - c1) / 1e9, (t2 - t1) / 1e9, (c3 - c2) / 1e9, report.passedAndFinite() ? "pass" : "FAIL", load);
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) Files.delete(f);
        }
        Files.delete(dir);
    }
}
