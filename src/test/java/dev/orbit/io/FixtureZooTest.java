package dev.orbit.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import ai.onnx.proto.OnnxMl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.orbit.Fixtures.Fixture;
import dev.orbit.Fixtures;
import dev.orbit.eval.Evaluator;
import dev.orbit.eval.ShapeInference;
import dev.orbit.graph.Model;
import dev.orbit.io.onnx.OnnxExporter;
import dev.orbit.io.onnx.OnnxImporter;
import dev.orbit.ops.UnsupportedOpException;
import dev.orbit.tensor.NdArray;
import dev.orbit.verify.OrtRunner;
import dev.orbit.verify.OutputComparison;

/**
 * Every fixture: (1) import → export → ONNX Runtime gives bit-identical outputs to the original file in ONNX
 * Runtime; (2) Orbit's evaluator agrees with ONNX Runtime within 1e-5 relative (ε = output scale); (3) ONNX
 * Runtime agrees with the reference output the exporter computed (PyTorch or the script's numpy check).
 */
class FixtureZooTest {
    static final double EVALUATOR_TOLERANCE = 1e-5;

    static List<Fixture> runnable() { return Fixtures.runnable(); }

    private static Map<String, NdArray> feeds(Model m, Fixture f) {
        return Map.of(m.graph().inputs().getFirst().name(), f.input());
    }

    private static NdArray only(Map<String, NdArray> outs) { return outs.values().iterator().next(); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runnable")
    void exportRoundTripIsExactInOnnxRuntime(Fixture f) throws Exception {
        Model m = f.load();
        NdArray original;
        try (OrtRunner r = new OrtRunner(java.nio.file.Files.readAllBytes(f.onnx()), 1)) {
            original = only(r.run(feeds(m, f)));
        } catch (dev.orbit.graph.ModelFormatException e) {
            // a file that names external data never reaches ONNX Runtime as it is (SelfContained): compare with
            // Orbit's inlined export only
            assertTrue(e.getMessage().contains("names external data"), e.getMessage());
            original = null;
        }
        Model again = OnnxImporter.read(OnnxExporter.toBytes(m), null, f.name());
        NdArray exported;
        try (OrtRunner r = new OrtRunner(again)) {
            exported = only(r.run(feeds(again, f)));
        }
        if (original != null) {
            var cmp = OutputComparison.of("y", original, exported);
            assertEquals(0.0, cmp.maxAbsError(), f.name() + ": re-exported model differs in ONNX Runtime");
        }
        if (f.expectedOutput() != null) {
            var ref = OutputComparison.of("y", f.expectedOutput().reshape(exported.shape()), exported);
            assertTrue(ref.within(1e-5), f.name() + ": ORT vs exporter reference " + ref.maxRelError());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runnable")
    void evaluatorMatchesOnnxRuntime(Fixture f) {
        Model m = f.load();
        NdArray ort;
        try (OrtRunner r = new OrtRunner(m)) {
            ort = only(r.run(feeds(m, f)));
        }
        NdArray mine = only(new Evaluator(m).run(feeds(m, f)));
        var cmp = OutputComparison.of("y", ort, mine);
        System.out.printf("evaluator vs ORT %-22s max_rel %.2e max_abs %.2e%n", f.name(), cmp.maxRelError(), cmp.maxAbsError());
        assertTrue(cmp.within(EVALUATOR_TOLERANCE), f.name() + ": max rel error " + cmp.maxRelError());
        assertEquals(1.0, cmp.argmaxAgreement());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runnable")
    void shapeInferenceKeepsTheSymbolicBatch(Fixture f) {
        Model m = f.load();
        var types = ShapeInference.infer(m);
        var out = types.get(m.graph().outputs().getFirst().name());
        assertNotNull(out.shape(), f.name() + ": output shape not inferred");
        assertEquals(2, out.shape().rank());
        assertEquals(10L, out.shape().dim(1).size());
        assertTrue(!out.shape().dim(0).isKnown(), f.name() + ": batch should stay symbolic, got " + out.shape());
    }

    @Test
    void externalDataIsMemoryMappedNotCopied() {
        Model m = Fixtures.get("external_data").load();
        var weights = m.graph().parameters().values().stream().filter(a -> a.rank() == 2).findFirst().orElseThrow();
        assertTrue(weights.segment().isMapped(), "external weights should be a mapped segment");
    }

    @Test
    void unknownOpImportsAndExportsUnchangedButDoesNotEvaluate() throws Exception {
        Fixture f = Fixtures.get("unknown_op");
        var original = OnnxMl.ModelProto.parseFrom(java.nio.file.Files.readAllBytes(f.onnx()));
        Model m = f.load();
        var exported = OnnxExporter.toProto(m);
        var find = (java.util.function.Function<OnnxMl.ModelProto, OnnxMl.NodeProto>) p -> p.getGraph().getNodeList()
                .stream().filter(n -> n.getOpType().equals("FancyActivation")).findFirst().orElseThrow();
        assertEquals(find.apply(original), find.apply(exported), "unknown node must export byte-identical");
        assertEquals(original.getOpsetImportList(), exported.getOpsetImportList());
        var e = assertThrows(UnsupportedOpException.class, () -> new Evaluator(m).run(feeds(m, f)));
        assertTrue(e.getMessage().contains("FancyActivation") && e.getMessage().contains("com.example"), e.getMessage());
    }
}
