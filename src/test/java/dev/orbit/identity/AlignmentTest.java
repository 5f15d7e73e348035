package dev.orbit.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.orbit.graph.Model;
import dev.orbit.io.onnx.OnnxImporter;
import dev.orbit.symmetry.GroupElement;
import dev.orbit.symmetry.MatrixSampling;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.symmetry.Sampling;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.symmetry.SymmetryAnalysis;

/** Planted-element recovery: aligning g·A onto A returns A's weights (shared with MembershipTest's exactness). */
class AlignmentTest {
    /** A random element: permutations, positive factors in [0.1, 1.9], per-head GL(d) (κ = 10) where there are pairs. */
    static GroupElement planted(SymmetryAnalysis a, long seed) {
        GroupElement g = Sampling.both(a, new Sampling.Cob(Sampling.Kind.INTRA, 0.9, 1), seed);
        if (!a.pairs().isEmpty()) g = g.withMatrices(MatrixSampling.pairs(a, 10, seed ^ 7));
        return g;
    }

    @ParameterizedTest
    @ValueSource(strings = {"fixtures/mlp_relu", "fixtures/mlp_gelu", "fixtures/cnn_bn", "fixtures/resnet_block",
            "fixtures/densenet_block", "fixtures/transformer_postnorm"})
    void weightMatchingRecoversAPlantedElement(String name) {
        Model m = OnnxImporter.read(Path.of("src/test/resources/" + name + ".onnx"));
        SymmetryAnalysis a = SpaceAnalyzer.analyze(m);
        for (long seed = 1; seed <= 2; seed++) {
            Model moved = OrbitAction.apply(m, a, planted(a, seed));
            Alignment.Result r = Alignment.align(m, moved, Alignment.Options.weights());
            assertTrue(r.distanceBefore() > 1e-2, name + ": the planted move moved nothing");
            for (var e : m.graph().parameters().entrySet()) {
                if (!e.getValue().dtype().isFloating() || !r.aligned().graph().parameters().containsKey(e.getKey())) continue;
                double d = Alignment.distance(r.aligned(), m, java.util.Set.of(e.getKey()));
                assertTrue(d <= 1e-6, name + " seed " + seed + ": " + e.getKey() + " off by " + d + " " + r.notes());
            }
            assertEquals(0, r.distanceAfter(), 1e-6);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fixtures/mlp_relu", "fixtures/cnn_bn", "fixtures/resnet_block"})
    void activationMatchingRecoversAPlantedElement(String name) {
        Model m = OnnxImporter.read(Path.of("src/test/resources/" + name + ".onnx"));
        SymmetryAnalysis a = SpaceAnalyzer.analyze(m);
        Model moved = OrbitAction.apply(m, a, planted(a, 3));
        Alignment.Result r = Alignment.align(m, moved, Alignment.Options.activations(gaussian(m, 64)));
        assertTrue(r.distanceBefore() > 1e-2);
        assertEquals(0, r.distanceAfter(), 1e-6, r.notes().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"fixtures/cnn_bn", "fixtures/transformer_postnorm", "fixtures/mlp_gelu"})
    void alignedModelVerifiesAgainstItsOriginalInOnnxRuntime(String name) {
        Model m = OnnxImporter.read(Path.of("src/test/resources/" + name + ".onnx"));
        SymmetryAnalysis a = SpaceAnalyzer.analyze(m);
        // B: A moved, then perturbed off the orbit, so the alignment is a real move of B (not just g⁻¹)
        Model b = OrbitAction.apply(m, a, planted(a, 5));
        java.util.Map<String, dev.orbit.tensor.NdArray> noisy = new java.util.LinkedHashMap<>();
        java.util.SplittableRandom rng = new java.util.SplittableRandom(9);
        for (var e : b.graph().parameters().entrySet()) {
            if (e.getValue().dtype() != dev.orbit.tensor.DType.FLOAT32 || e.getValue().size() < 2 || e.getKey().contains("running")) continue;
            float[] v = e.getValue().toFloatArray();
            for (int i = 0; i < v.length; i++) v[i] *= (float) (1 + 0.2 * rng.nextGaussian());
            noisy.put(e.getKey(), dev.orbit.tensor.NdArray.ofFloats(v, e.getValue().shape()));
        }
        var nb = dev.orbit.Orbit.of(b.withGraph(b.graph().withParameters(noisy)), "B");
        var moved = nb.alignTo(dev.orbit.Orbit.of(m, "A"), Alignment.Options.weights());
        assertTrue(moved.weightChange() > 1e-3, "the alignment moved nothing");
        var report = moved.verify(dev.orbit.Inputs.random(8), dev.orbit.verify.NoiseRule.MOVE);
        assertTrue(report.passedAndFinite(), report.toText());
        assertTrue((double) moved.facts().get("distance_after") < (double) moved.facts().get("distance_before"));
    }

    /** n standard normal inputs shaped like the model's first input (unknown dimensions: 1). */
    static dev.orbit.tensor.NdArray gaussian(Model m, int n) {
        var in = m.graph().inputs().getFirst();
        var dims = in.type().shape().dims();
        long[] shape = new long[dims.size()];
        shape[0] = n;
        for (int i = 1; i < shape.length; i++) shape[i] = dims.get(i).isKnown() ? dims.get(i).size() : 1;
        float[] v = new float[Math.toIntExact(dev.orbit.tensor.NdArray.count(shape))];
        java.util.SplittableRandom rng = new java.util.SplittableRandom(4);
        for (int i = 0; i < v.length; i++) v[i] = (float) rng.nextGaussian();
        return dev.orbit.tensor.NdArray.ofFloats(v, shape);
    }
}
