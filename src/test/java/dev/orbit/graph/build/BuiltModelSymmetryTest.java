package dev.orbit.graph.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.orbit.graph.Model;
import dev.orbit.symmetry.NeuronSpace;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.symmetry.Sampling;
import dev.orbit.symmetry.Scaling;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.symmetry.SymmetryAnalysis;
import dev.orbit.tensor.NdArray;
import dev.orbit.verify.OrtRunner;
import dev.orbit.verify.OutputComparison;

/** The symmetry engine finds the spaces a built network should have, and moves along them are exact. */
class BuiltModelSymmetryTest {
    /** Free spaces by origin ("Conv 'conv2'") → "size scaling". */
    private static Map<String, String> free(SymmetryAnalysis a) {
        Map<String, String> m = new TreeMap<>();
        for (NeuronSpace s : a.freeSpaces()) {
            assertTrue(s.permutable(), s.origin() + " permutable: " + s.permReason());
            m.put(s.origin(), s.size() + " " + s.scaling());
        }
        return m;
    }

    @Test
    void mlpHasFiveSpacesOf500() {
        SymmetryAnalysis a = SpaceAnalyzer.analyze(NetworkBuilderTest.build(NetworkBuilderTest.MLP));
        assertEquals(5, a.freeSpaces().size());
        for (NeuronSpace s : a.freeSpaces()) {
            assertEquals(500, s.size());
            assertEquals(Scaling.NONZERO, s.scaling());
        }
        assertEquals(6, a.spaces().size(), "plus the fixed output space");
    }

    @Test
    void cnnSpacesBeforeMaxPoolArePositive() {
        for (String spec : List.of(NetworkBuilderTest.CNN, NetworkBuilderTest.CNN_BN)) {
            SymmetryAnalysis a = SpaceAnalyzer.analyze(NetworkBuilderTest.build(spec));
            assertEquals(Map.of("Conv 'conv1'", "16 NONZERO", "Conv 'conv2'", "32 POSITIVE",
                    "Conv 'conv3'", "64 POSITIVE", "Gemm 'fc1'", "128 NONZERO"), free(a), spec);
        }
    }

    @Test
    void resnetMergesEachStageResidualStream() {
        SymmetryAnalysis a = SpaceAnalyzer.analyze(NetworkBuilderTest.build(NetworkBuilderTest.RESNET));
        // stage 1: stem + both blocks' outputs are one stream; stage 2: downsample + both blocks' outputs
        assertEquals(Map.of("Conv 'stem.conv'", "16 NONZERO", "Conv 'block1.conv1'", "16 NONZERO",
                "Conv 'block2.conv1'", "16 NONZERO", "Conv 'block3.conv1'", "32 NONZERO",
                "Conv 'block3.conv2'", "32 NONZERO", "Conv 'block4.conv1'", "32 NONZERO"), free(a));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tanh", "gelu", "hardtanh", "softplus", "leakyrelu"})
    void nonHomogeneousActivationsAllowTeleportation(String act) {
        Model m = NetworkBuilder.build(ArchSpec.parse("mlp:12-8x3-3:" + act), new dev.orbit.train.Initializer.Kaiming(1), 4);
        SymmetryAnalysis a = SpaceAnalyzer.analyze(m);
        assertEquals(3, a.freeSpaces().size());
        for (NeuronSpace s : a.freeSpaces()) assertEquals(Scaling.NONZERO, s.scaling(), s.scaleReason());
        assertEquals(3, a.regions().size(), "one activation region per hidden layer");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {NetworkBuilderTest.CNN_BN, NetworkBuilderTest.RESNET, "mlp:12-8x3-3:gelu",
            "cnn:2x6x6-c4-p-fc5-3:tanh"})
    void movesAlongTheOrbitKeepTheFunction(String spec) {
        Model m = NetworkBuilderTest.build(spec);
        SymmetryAnalysis a = SpaceAnalyzer.analyze(m);
        var g = Sampling.both(a, new Sampling.Cob(Sampling.Kind.INTER, 0.5, 0), 9);
        Model moved = OrbitAction.apply(m, a, g);
        var in = NetworkBuilderTest.feeds(m, 3);
        NdArray before;
        NdArray after;
        try (OrtRunner r = new OrtRunner(m)) {
            before = r.run(in).get(NetworkBuilder.OUTPUT);
        }
        try (OrtRunner r = new OrtRunner(moved)) {
            after = r.run(in).get(NetworkBuilder.OUTPUT);
        }
        var cmp = OutputComparison.of("logits", before, after);
        assertTrue(cmp.within(1e-4), spec + ": moved model differs by " + cmp.maxRelError());
        // the move is real: first-layer weights change by a sizeable fraction
        String first = m.graph().parameters().keySet().iterator().next();
        float[] w0 = m.graph().parameter(first).toFloatArray();
        float[] w1 = moved.graph().parameter(first).toFloatArray();
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < w0.length; i++) {
            diff = Math.max(diff, Math.abs(w0[i] - w1[i]));
            scale = Math.max(scale, Math.abs(w0[i]));
        }
        assertTrue(diff > 0.1 * scale, spec + ": " + first + " moved by " + diff / scale);
    }
}
