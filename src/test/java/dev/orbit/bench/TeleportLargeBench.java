package dev.orbit.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import dev.orbit.graph.Model;
import dev.orbit.io.onnx.OnnxExporter;
import dev.orbit.io.onnx.OnnxImporter;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.symmetry.Sampling;
import dev.orbit.symmetry.SpaceAnalyzer;

/**
 * `orbit teleport` on a ~100 MB ONNX model against importing and exporting the same model unchanged, in one
 * process, rounds alternating (odd rounds teleport first), min / median / max and the load average (file cache warm for both). The teleport path is what the CLI does
 * with --no-verify: read, analyse, sample, move, write. Target ratio ≤ 1.3. Usage: bench/teleport-large.sh [rounds (default 7)]
 */
public final class TeleportLargeBench {
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        long[] widths = {784, 4096, 4096, 1024, 10};
        Path dir = Files.createTempDirectory("orbit-bench");
        Path in = dir.resolve("mlp100mb.onnx");
        OnnxExporter.write(EvaluatorBench.mlp(widths, 3), in);
        System.out.printf("model %s: %.1f MB, MLP %s%n", in.getFileName(), Files.size(in) / 1e6, Arrays.toString(widths));
        double[] plain = new double[rounds];
        double[] teleport = new double[rounds];
        double loadBefore = LoadAverage.now();
        for (int i = -1; i < rounds; i++) { // round -1 warms up both paths; odd rounds run the teleport first
            boolean teleportFirst = i % 2 != 0;
            double t1 = teleportFirst ? teleportOnce(in, dir, i) : 0;
            double p1 = plainOnce(in, dir);
            if (!teleportFirst) t1 = teleportOnce(in, dir, i);
            if (i >= 0) {
                plain[i] = p1;
                teleport[i] = t1;
            }
        }
        double p = EvaluatorBench.median(plain);
        double t = EvaluatorBench.median(teleport);
        StringBuilder per = new StringBuilder();
        for (int i = 0; i < rounds; i++) per.append(String.format(" %.2f", teleport[i] / plain[i]));
        System.out.printf("  import + export unchanged   min %6.0f  median %6.0f  max %6.0f ms%n", EvaluatorBench.min(plain), p, EvaluatorBench.max(plain));
        System.out.printf("  import + teleport + export  min %6.0f  median %6.0f  max %6.0f ms%n", EvaluatorBench.min(teleport), t, EvaluatorBench.max(teleport));
        System.out.printf("  ratio teleport/unchanged    %8.2f   (target <= 1.30); per round%s; load average %.1f -> %.1f%n", t / p, per,
                loadBefore, LoadAverage.now());
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) Files.delete(f);
        }
        Files.delete(dir);
    }

    private static double plainOnce(Path in, Path dir) {
        long a = System.nanoTime();
        OnnxExporter.write(OnnxImporter.read(in), dir.resolve("copy.onnx"));
        return (System.nanoTime() - a) / 1e6;
    }

    /** What the CLI does with --no-verify: read, analyse, sample, move, write. */
    private static double teleportOnce(Path in, Path dir, long seed) {
        long a = System.nanoTime();
        Model m = OnnxImporter.read(in);
        var analysis = SpaceAnalyzer.analyze(m);
        var g = Sampling.both(analysis, new Sampling.Cob(Sampling.Kind.INTER, 0.9, 0), seed);
        OnnxExporter.write(OrbitAction.apply(m, analysis, g), dir.resolve("teleported.onnx"));
        return (System.nanoTime() - a) / 1e6;
    }
}
