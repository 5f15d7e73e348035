package dev.orbit.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.orbit.eval.Evaluator;
import dev.orbit.graph.Attributes;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueInfo;
import dev.orbit.graph.ValueType;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/** Regressions found by the ONNX conformance suite (test_clip_default_*, test_PReLU_*_multiparam). */
class ClipPReluRegressionTest {
    @Test
    void clipWithNeitherBoundIsTheIdentity() {
        NdArray x = OpCheck.randn(1, 3, 4);
        NdArray y = OpCheck.node("Clip").opset(13).input("x", x).check().get("y");
        assertArrayEquals(x.toBytes(), y.toBytes());
    }

    @Test
    void clipOnInt8StaysInt8() {
        NdArray x = NdArray.ofBytes(DType.INT8, new long[] {6}, new byte[] {-128, -5, 0, 3, 90, 127});
        NdArray lo = NdArray.ofBytes(DType.INT8, new long[] {}, new byte[] {-4});
        NdArray hi = NdArray.ofBytes(DType.INT8, new long[] {}, new byte[] {50});
        NdArray y = OpCheck.node("Clip").opset(13).input("x", x).param("lo", lo).param("hi", hi).check().get("y");
        assertEquals(DType.INT8, y.dtype());
        assertArrayEquals(new long[] {-4, -4, 0, 3, 50, 50}, y.toLongArray());
        NdArray onlyMax = OpCheck.node("Clip").opset(13).input("x", x).skipInput().param("hi", hi).check().get("y");
        assertArrayEquals(new long[] {-128, -5, 0, 3, 50, 50}, onlyMax.toLongArray());
    }

    @Test
    void opset6PReluAppliesItsSlopeAlongTheChannelAxis() {
        // ONNX Runtime has no opset-6 PRelu kernel: the expected values are computed here
        NdArray x = OpCheck.randn(2, 2, 3, 4);
        NdArray slope = NdArray.ofFloats(new float[] {0.1f, 0.2f, 0.3f}, 3);
        Graph g = new Graph("prelu6", List.of(new ValueInfo("x", new ValueType(DType.FLOAT32, Shape.of(2, 3, 4)))),
                List.of(new ValueInfo("y", ValueType.unknown(DType.FLOAT32))),
                List.of(new Node("p", "PRelu", List.of("x", "slope"), List.of("y"), Attributes.NONE)),
                Map.of("slope", slope), Map.of(), "");
        Model m = new Model(g, Map.of("", 6L), Model.ModelInfo.orbit());
        NdArray y = new Evaluator(m).run(Map.of("x", x)).get("y");
        assertArrayEquals(new long[] {2, 3, 4}, y.shape());
        for (int i = 0; i < 24; i++) {
            int c = (i / 4) % 3;
            float v = x.getFloat(i);
            assertEquals(v > 0 ? v : v * slope.getFloat(c), y.getFloat(i), 0, "element " + i);
        }
        assertEquals(Shape.of(2, 3, 4), dev.orbit.eval.ShapeInference.infer(m).get("y").shape());
    }

    @Test
    void opset7PReluStillBroadcastsNumpysWay() {
        NdArray x = OpCheck.randn(3, 2, 3, 4);
        NdArray slope = NdArray.ofFloats(new float[] {0.1f, 0.2f, 0.3f, 0.4f}, 4);
        OpCheck.node("PRelu").opset(7).input("x", x).param("slope", slope).check();
    }
}
