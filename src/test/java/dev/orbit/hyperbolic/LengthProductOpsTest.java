package dev.orbit.hyperbolic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.orbit.eval.Evaluator;
import dev.orbit.eval.ShapeInference;
import dev.orbit.graph.Dim;
import dev.orbit.graph.Model;
import dev.orbit.graph.Shape;
import dev.orbit.io.onnx.OnnxExporter;
import dev.orbit.io.onnx.OnnxImporter;
import dev.orbit.symmetry.LengthLayers;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;
import dev.orbit.verify.OrtRunner;
import dev.orbit.verify.OutputComparison;

/**
 * The length-product ops against a plain-Java second implementation, their standard-ONNX export in ONNX Runtime,
 * Orbit's own saved form, and the symmetry rule (outputs unchanged by the group).
 */
class LengthProductOpsTest {
    @ParameterizedTest(name = "{0} {1} random frame {2}")
    @CsvSource({"h2, horocycle, false", "h2, horocycle, true", "h2, geodesic, true", "h2, affine, true", "h2L, affine, true",
            "h3, affine, true", "h4, horocycle, false", "h4, geodesic, true", "euclid, identity, false", "euclid, affine, true"})
    void matchesTheGeometryExportsToOnnxRuntimeAndIsInvariant(String space, String embedding, boolean randomFrame) {
        LayerFixture f = LayerFixture.of(space, embedding, randomFrame, 7, 5, 11);
        NdArray x = LayerFixture.inputs(6, 7, 3);
        NdArray y = f.evaluate(x);
        assertArrayEquals(new long[] {6, 5}, y.shape());
        double[] ref = f.reference(x);
        assertTrue(relError(ref, y.toDoubleArray()) < 1e-12, "evaluator vs geometry: " + relError(ref, y.toDoubleArray()));

        // shape inference keeps the symbolic batch
        var types = ShapeInference.infer(f.model());
        assertEquals(Shape.of(Dim.symbol("batch"), Dim.of(5)), types.get("y").shape());

        // Orbit's saved form: the custom node survives export and import bit for bit
        Model back = OnnxImporter.read(OnnxExporter.toBytes(f.model()), null, "layer");
        assertArrayEquals(y.toDoubleArray(), new Evaluator(back).run(Map.of(LayerFixture.X, x)).get("y").toDoubleArray());

        // standard ONNX: float64 in ONNX Runtime and in Orbit's evaluator, float32 in ONNX Runtime
        Model std64 = StandardOnnx.expand(f.model(), DType.FLOAT64);
        assertTrue(std64.graph().nodes().stream().allMatch(n -> n.isStandardDomain()));
        try (OrtRunner ort = new OrtRunner(std64)) {
            double e = OutputComparison.of("y", y, ort.run(Map.of(LayerFixture.X, x)).get("y")).maxRelError();
            assertTrue(e < 1e-13, "float64 ONNX Runtime vs Orbit: " + e);
        }
        double e64 = OutputComparison.of("y", y, new Evaluator(std64).run(Map.of(LayerFixture.X, x)).get("y")).maxRelError();
        assertTrue(e64 < 1e-13, "expanded graph in Orbit: " + e64);
        Model std32 = StandardOnnx.expand(f.model(), DType.FLOAT32);
        try (OrtRunner ort = new OrtRunner(std32)) {
            NdArray y32 = ort.run(Map.of(LayerFixture.X, Precision.convert(x, DType.FLOAT32))).get("y");
            assertEquals(DType.FLOAT32, y32.dtype());
            double e = OutputComparison.of("y", y, y32).maxRelError();
            assertTrue(e < 1e-5, "float32 ONNX Runtime vs float64: " + e);
        }

        // the group: random isometries move the weights far and keep the outputs
        SplittableRandom rng = new SplittableRandom(5);
        for (int t = 0; t < 20; t++) {
            Model moved = OrbitAction.apply(f.model(), LengthLayers.randomElement(f.model(), rng, 1));
            double weightChange = relError(f.model().graph().parameter("w").toDoubleArray(), moved.graph().parameter("w").toDoubleArray());
            assertTrue(weightChange > 1e-3, "the weights move: " + weightChange);
            NdArray ym = new Evaluator(moved).run(Map.of(LayerFixture.X, x)).get("y");
            double inv = OutputComparison.of("y", y, ym).maxRelError();
            assertTrue(inv < 1e-11, space + " invariance: " + inv);
        }
    }

    @Test
    void largeBatchesAreComputedInBlocksWithTheSameResult() {
        LayerFixture f = LayerFixture.of("h2", "affine", true, 300, 20, 2);
        NdArray x = LayerFixture.inputs(800, 300, 9); // 4.8M terms: two blocks
        double[] all = f.evaluate(x).toDoubleArray();
        double[] ref = f.reference(NdArray.ofDoubles(java.util.Arrays.copyOfRange(x.toDoubleArray(), 790 * 300, 800 * 300), 10, 300));
        assertTrue(relError(ref, java.util.Arrays.copyOfRange(all, 790 * 20, 800 * 20)) < 1e-12);
    }

    @Test
    void unknownEmbeddingAndWrongFrameAreClearErrors() {
        LayerFixture f = LayerFixture.of("h3", "horocycle", false, 3, 2, 1);
        var node = f.model().graph().nodes().getFirst();
        var bad = f.model().withGraph(f.model().graph().withNodes(List.of(node.withAttributes(node.attributes()
                .with("frame", new dev.orbit.graph.Attr.TensorValue(NdArray.ofDoubles(new double[] {1, 0, 0, 1}, 2, 2))))),
                f.model().graph().parameters()));
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.orbit.graph.ShapeException.class, () -> ShapeInference.infer(bad));
        assertTrue(e.getMessage().contains("frame"), e.getMessage());
    }

    static double relError(double[] a, double[] b) { return dev.orbit.numeric.RelativeError.max(a, b); }
}
