package dev.orbit.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.junit.jupiter.api.Test;

import dev.orbit.eval.ShapeInference;
import dev.orbit.graph.Dim;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueType;
import dev.orbit.io.onnx.OnnxImporter;
import dev.orbit.ops.standard.StandardOps;

/** Shape inference over real exporter output: every value of the fixture gets a shape. */
class ShapeInferenceFixturesTest {
    static Path fixture(String name) throws URISyntaxException {
        return Path.of(Objects.requireNonNull(ShapeInferenceFixturesTest.class.getResource("/fixtures/" + name),
                name).toURI());
    }

    @Test
    void transformerEncoderKeepsTheSymbolicBatch() throws Exception {
        Model m = OnnxImporter.read(fixture("transformer_encoder.onnx"));
        Map<String, ValueType> types = ShapeInference.infer(m);
        for (Node node : m.graph().nodes()) {
            assertTrue(StandardOps.registry().find(node, m.opset()).isPresent(), "no op for " + node.opType());
            for (String out : node.outputs()) {
                ValueType t = types.get(out);
                assertTrue(t != null && t.hasShape(), node.opType() + " output '" + out + "' has no shape: " + t);
            }
        }
        String output = m.graph().outputs().getFirst().name();
        assertEquals(Shape.of(Dim.symbol("batch"), Dim.of(10)), types.get(output).shape());
        // with a concrete batch every dimension is a number
        Map<String, ValueType> concrete = ShapeInference.infer(m,
                Map.of(m.graph().inputs().getFirst().name(), Shape.of(2, 8, 32)));
        List<String> open = concrete.entrySet().stream()
                .filter(e -> !e.getValue().shape().isFullyKnown()).map(Map.Entry::getKey).toList();
        assertTrue(open.isEmpty(), "values with unknown dimensions at batch 2: " + open);
        assertEquals(Shape.of(2, 10), concrete.get(output).shape());
    }
}
