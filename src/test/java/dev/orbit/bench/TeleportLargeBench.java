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
 * process, rounds alternating, medians (file cache warm for both). The teleport path is what the CLI does
 * with --no-verify: read, analyse, sample, move, write. Target ratio ≤ 1.3. Usage: bench/teleport-large.sh
 */
public final class TeleportLargeBench {
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        long[] widths = {784, 4096, 4096, 1024, 10};
        Path dir = Files.createTempDirectory("orbit-bench");
        Path in = dir.resolve("mlp100mb.onnx");
        OnnxExporter.write(EvaluatorBench.mlp(widths, 3), in);
        System.out.printf("model %s: %.1f MB, MLP %s%n", in.getFileName(), Files.size(in) / 1e6, Arrays.toString(widths));
        double[] plain = new double[rounds];
        double[] teleport = new double[rounds];
        for (int i = -1; i < rounds; i++) { // round -1 warms up both paths
            long a = System.nanoTime();
            OnnxExporter.write(OnnxImporter.read(in), dir.resolve("copy.onnx"));
            long b = System.nanoTime();
            Model m = OnnxImporter.read(in);
            var analysis = SpaceAnalyzer.analyze(m);
            var g = Sampling.both(analysis, new Sampling.Cob(Sampling.Kind.INTER, 0.9, 0), i);
            OnnxExporter.write(OrbitAction.apply(m, analysis, g), dir.resolve("teleported.onnx"));
            long c = System.nanoTime();
            if (i >= 0) {
                plain[i] = (b - a) / 1e6;
                teleport[i] = (c - b) / 1e6;
            }
        }
        double p = EvaluatorBench.median(plain);
        double t = EvaluatorBench.median(teleport);
        System.out.printf("  import + export unchanged   %8.0f ms%n", p);
        System.out.printf("  import + teleport + export  %8.0f ms%n", t);
        System.out.printf("  ratio teleport/unchanged    %8.2f   (target <= 1.30)%n", t / p);
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) Files.delete(f);
        }
        Files.delete(dir);
    }
}
