package dev.orbit.hyperbolic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.orbit.eval.Evaluator;
import dev.orbit.graph.Model;
import dev.orbit.graph.build.ArchSpec;
import dev.orbit.graph.build.NetworkBuilder;
import dev.orbit.io.idx.MnistData;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;
import dev.orbit.train.Initializer;
import dev.orbit.verify.OrtRunner;
import dev.orbit.verify.OutputComparison;

/** Case 1: an ordinary layer extended to [[W, I], [I, 0]] and factored through a random invertible G keeps the function. */
class LayerExtensionTest {
    @Test
    void extendingALayerKeepsTheFunctionInFloat64AndFloat32() {
        Model mlp = NetworkBuilder.build(ArchSpec.parse("mlp:784-48-20-10:relu"), new Initializer.Kaiming(Math.sqrt(2)), 3);
        NdArray x32 = HyperbolicTraining.slice(MnistData.bundled(MnistData.Split.TEST), 0, 100).images();
        Model m64 = Precision.convert(mlp, DType.FLOAT64);
        NdArray x64 = Precision.convert(x32, DType.FLOAT64);
        for (String layer : new String[] {"fc2", "fc3"}) {
            Model ext = LayerExtension.extend(m64, layer, 0.5, 7);
            assertEquals(m64.graph().nodes().size() + 1, ext.graph().nodes().size());
            var a = new Evaluator(m64).run(Map.of("input", x64)).get("logits");
            var b = new Evaluator(ext).run(Map.of("input", x64)).get("logits");
            double e64 = OutputComparison.of("logits", a, b).maxRelError();
            assertTrue(e64 < 1e-13, layer + " float64: " + e64);
            // float32, both in ONNX Runtime
            Model ext32 = LayerExtension.extend(mlp, layer, 0.5, 7);
            try (OrtRunner ra = new OrtRunner(mlp); OrtRunner rb = new OrtRunner(ext32)) {
                var c = OutputComparison.of("logits", ra.run(Map.of("input", x32)).get("logits"), rb.run(Map.of("input", x32)).get("logits"));
                assertTrue(c.maxRelError() < 1e-5 && c.argmaxAgreement() == 1, layer + " float32: " + c.maxRelError());
            }
        }
        // a singular layer (rank 1) is extended just the same: E is invertible whatever W is
        Model rankOne = singular(m64);
        var y = new Evaluator(rankOne).run(Map.of("input", x64)).get("logits");
        var z = new Evaluator(LayerExtension.extend(rankOne, "fc2", 1, 2)).run(Map.of("input", x64)).get("logits");
        assertTrue(OutputComparison.of("logits", y, z).maxRelError() < 1e-12);
        assertThrows(IllegalArgumentException.class, () -> LayerExtension.extend(m64, "fc1.act", 0.5, 1));
    }

    private static Model singular(Model m) {
        NdArray w = m.graph().parameter("fc2.weight");
        double[] v = w.toDoubleArray();
        int rows = (int) w.dim(0);
        int cols = (int) w.dim(1);
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) v[i * cols + j] = v[j] * (i + 1) * 0.1;
        return m.withGraph(m.graph().withParameters(Map.of("fc2.weight", NdArray.ofDoubles(v, rows, cols))));
    }
}
