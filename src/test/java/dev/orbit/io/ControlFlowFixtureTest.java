package dev.orbit.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import ai.onnx.proto.OnnxMl;
import dev.orbit.Fixtures;
import dev.orbit.Fixtures.Fixture;
import dev.orbit.eval.Evaluator;
import dev.orbit.graph.Attr;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.io.onnx.OnnxExporter;
import dev.orbit.io.onnx.OnnxImporter;
import dev.orbit.tensor.NdArray;
import dev.orbit.verify.OrtRunner;
import dev.orbit.verify.OutputComparison;

/**
 * The control-flow fixtures (issue 14, item 5): an {@code If} on a value computed from the input whose branches read
 * outer-scope values, and a {@code Loop} carrying a recurrent state. Orbit's evaluator reproduces the exporter's
 * reference and ONNX Runtime on both of If's branches; export writes the sub-graphs back byte for byte.
 */
class ControlFlowFixtureTest {
    /** float32 evaluation of a few small Gemms against torch's reference: a few ulps of the output scale. */
    private static final double TOLERANCE = 1e-5;

    private record Sample(String label, NdArray input, NdArray reference) {}

    private static List<Sample> samples(Fixture f) throws IOException {
        List<Sample> s = new ArrayList<>();
        s.add(new Sample(f.name(), f.input(), f.expectedOutput()));
        Path elseIn = f.onnx().resolveSibling(f.name() + ".else.input.bin");
        if (Files.exists(elseIn)) {
            Path elseOut = f.onnx().resolveSibling(f.name() + ".else.output.bin");
            s.add(new Sample(f.name() + " (else branch)", floats(elseIn, f.inputShape()), floats(elseOut, new long[] {Files.size(elseOut) / 4})));
        }
        return s;
    }

    @ParameterizedTest
    @ValueSource(strings = {"if_branch", "loop_state"})
    void evaluatesLikeTheReferenceAndOnnxRuntime(String name) throws IOException {
        Fixture f = Fixtures.get(name);
        Model m = f.load();
        String in = m.graph().inputs().getFirst().name();
        Evaluator evaluator = new Evaluator(m);
        List<NdArray> outs = new ArrayList<>();
        for (Sample s : samples(f)) {
            NdArray mine = evaluator.run(Map.of(in, s.input())).values().iterator().next();
            NdArray ort;
            try (OrtRunner r = new OrtRunner(m)) {
                ort = r.run(Map.of(in, s.input())).values().iterator().next();
            }
            var vsRef = OutputComparison.of("y", s.reference().reshape(mine.shape()), mine);
            var vsOrt = OutputComparison.of("y", ort, mine);
            System.out.printf("%-26s Orbit vs reference max_rel %.2e, vs ONNX Runtime max_rel %.2e (tolerance %.0e)%n",
                    s.label(), vsRef.maxRelError(), vsOrt.maxRelError(), TOLERANCE);
            assertTrue(vsRef.within(TOLERANCE), s.label() + ": Orbit vs reference " + vsRef.maxRelError());
            assertTrue(vsOrt.within(TOLERANCE), s.label() + ": Orbit vs ONNX Runtime " + vsOrt.maxRelError());
            outs.add(mine);
        }
        if (outs.size() == 2) {
            // the two samples take different branches (Relu vs Tanh): the outputs must differ, or the switch did nothing
            assertFalse(java.util.Arrays.equals(outs.get(0).toFloatArray(), outs.get(1).toFloatArray()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"if_branch", "loop_state"})
    void subgraphsAreReadIntoTheIrAndExportedByteForByte(String name) throws IOException {
        Fixture f = Fixtures.get(name);
        Model m = f.load();
        OnnxMl.ModelProto original = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(f.onnx()));
        OnnxMl.ModelProto exported = OnnxMl.ModelProto.parseFrom(OnnxExporter.toBytes(m));
        int subgraphs = 0;
        for (Node n : m.graph().nodes()) {
            for (var e : n.attributes().map().entrySet()) {
                if (!(e.getValue() instanceof Attr.Subgraph(var g, byte[] b))) continue;
                subgraphs++;
                assertFalse(g.nodes().isEmpty(), n.label() + "." + e.getKey() + " has no nodes in the IR");
                assertArrayEquals(attribute(original, n, e.getKey()), attribute(exported, n, e.getKey()),
                        n.label() + "." + e.getKey() + " changed on export");
            }
            // what the sub-graphs read from outside is a dependency of the node
            for (String v : n.implicitInputs()) {
                assertTrue(m.graph().isParameter(v) || m.graph().inputs().stream().anyMatch(i -> i.name().equals(v))
                        || m.graph().producer(v) != null, v);
            }
        }
        assertTrue(subgraphs >= 1, name + " has no sub-graph attribute");
        // and the exported model evaluates to the same values in Orbit
        Model again = OnnxImporter.read(OnnxExporter.toBytes(m), null, name);
        String in = m.graph().inputs().getFirst().name();
        assertArrayEquals(new Evaluator(m).run(Map.of(in, f.input())).values().iterator().next().toFloatArray(),
                new Evaluator(again).run(Map.of(in, f.input())).values().iterator().next().toFloatArray());
    }

    @Test
    void ifBranchReadsOuterScopeValues() {
        Model m = Fixtures.get("if_branch").load();
        Node branch = m.graph().nodes().stream().filter(n -> n.opType().equals("If")).findFirst().orElseThrow();
        assertFalse(branch.implicitInputs().isEmpty(), "the branches read the outer input and initializers by name");
        assertEquals(2, branch.subgraphs().size());
    }

    private static byte[] attribute(OnnxMl.ModelProto model, Node n, String attr) {
        for (var node : model.getGraph().getNodeList()) {
            if (!node.getOpType().equals(n.opType()) || !node.getOutputList().equals(n.outputs())) continue;
            for (var a : node.getAttributeList()) if (a.getName().equals(attr)) return a.toByteArray();
        }
        throw new AssertionError("no attribute " + attr + " on " + n.label());
    }

    private static NdArray floats(Path file, long[] shape) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[b.remaining() / 4];
        b.asFloatBuffer().get(v);
        return NdArray.ofFloats(v, shape);
    }
}
