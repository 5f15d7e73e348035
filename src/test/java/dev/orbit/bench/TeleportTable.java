package dev.orbit.bench;

import java.util.Map;

import dev.orbit.Fixtures;
import dev.orbit.graph.Model;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.symmetry.Sampling;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.tensor.NdArray;
import dev.orbit.verify.InputFactory;
import dev.orbit.verify.InputSpec;
import dev.orbit.verify.OrtRunner;
import dev.orbit.verify.OutputComparison;

/**
 * The table of the symmetry-engine issue: for each fixture and r ∈ {0.1, 0.5, 0.9, 0.99} × {intra, inter}, the
 * max relative output error of the teleported float32 model in ONNX Runtime (ε = output scale; fixture input
 * plus 64 N(0,1) inputs) and the relative weight change mean|V−W|/mean|W|. Usage: bench/teleport-table.sh
 */
public final class TeleportTable {
    public static void main(String[] args) {
        double[] ranges = {0.1, 0.5, 0.9, 0.99};
        Sampling.Kind[] kinds = {Sampling.Kind.INTRA, Sampling.Kind.INTER};
        System.out.printf("| fixture | free spaces |");
        for (Sampling.Kind k : kinds) for (double r : ranges) System.out.printf(" %s %.2f |", k.name().toLowerCase(), r);
        System.out.println();
        System.out.print("|---|---|");
        for (int i = 0; i < 8; i++) System.out.print("---|");
        System.out.println();
        for (var f : Fixtures.runnable()) {
            Model m = f.load();
            var a = SpaceAnalyzer.analyze(m);
            var feeds = InputFactory.make(m, new InputSpec.Random(64, InputSpec.Distribution.NORMAL, 3), Map.of());
            NdArray ref = run(m, feeds);
            NdArray refFixture = run(m, Map.of(m.graph().inputs().getFirst().name(), f.input()));
            StringBuilder row = new StringBuilder("| " + f.name() + " | " + a.freeSpaces().size() + " |");
            for (Sampling.Kind k : kinds) {
                for (double r : ranges) {
                    var g = Sampling.scales(a, new Sampling.Cob(k, r, 0), 1);
                    Model moved = OrbitAction.apply(m, a, g);
                    double err = Math.max(OutputComparison.of("y", ref, run(moved, feeds)).maxRelError(),
                            OutputComparison.of("y", refFixture, run(moved, Map.of(m.graph().inputs().getFirst().name(), f.input()))).maxRelError());
                    row.append(String.format(" %.1e / %.2f |", err, dev.orbit.verify.WeightChange.relative(m, moved)));
                }
            }
            System.out.println(row);
        }
        System.out.println("cells: max relative output error (float32, ONNX Runtime) / relative weight change mean|V-W|/mean|W|");
    }

    static NdArray run(Model m, Map<String, NdArray> feeds) {
        try (OrtRunner r = new OrtRunner(m)) {
            return r.run(feeds).values().iterator().next();
        }
    }
}
