package dev.orbit.ops;

import static dev.orbit.ops.OpCheck.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

import dev.orbit.eval.Evaluator;
import dev.orbit.eval.ShapeInference;
import dev.orbit.graph.Attributes;
import dev.orbit.graph.Dim;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ShapeException;
import dev.orbit.tensor.NdArray;

class NormalizationOpsTest {
    @Test
    void batchNormInference() {
        node("BatchNormalization").input("x", randn(1, 2, 3, 5, 4)).param("s", randn(2, 3)).param("b", randn(3, 3))
                .param("m", randn(4, 3)).param("v", uniform(5, 0.5f, 2f, 3)).symbolicBatch().check();
        node("BatchNormalization").input("x", randn(1, 4, 3)).param("s", randn(2, 3)).param("b", randn(3, 3))
                .param("m", randn(4, 3)).param("v", uniform(5, 0.5f, 2f, 3)).attr("epsilon", 1e-2f).opset(9).check();
        node("BatchNormalization").input("x", randn(1, 2, 3, 7)).param("s", randn(2, 3)).param("b", randn(3, 3))
                .param("m", randn(4, 3)).param("v", uniform(5, 0.5f, 2f, 3)).opset(15).check();
    }

    @Test
    void batchNormUsesBatchStatisticsWhileTraining() {
        Node n = new Node("bn", "BatchNormalization", List.of("x", "s", "b", "m", "v"), List.of("y"), Attributes.NONE);
        NdArray x = randn(1, 4, 3, 2, 2);
        var model = OpCheck.graph(n).feed("x", x).constant("s", uniform(2, 1, 1, 3)).constant("b", uniform(3, 0, 0, 3))
                .constant("m", randn(4, 3)).constant("v", uniform(5, 0.5f, 2f, 3)).output("y").model();
        try (PointerScope scope = new PointerScope()) {
            Map<String, Tensor> params = new java.util.HashMap<>();
            for (var e : model.graph().parameters().entrySet()) params.put(e.getKey(), e.getValue().torchView());
            Tensor y = new Evaluator(model).forward(Map.of("x", x.torchView()), params, true).get("y");
            NdArray out = NdArray.fromTorch(y);
            // with unit scale and zero bias every channel comes out with mean 0 and (population) variance ~1
            for (int c = 0; c < 3; c++) {
                double sum = 0;
                double sq = 0;
                for (int b = 0; b < 4; b++) {
                    for (int i = 0; i < 4; i++) {
                        double v = out.getFloat((b * 3 + c) * 4 + i);
                        sum += v;
                        sq += v * v;
                    }
                }
                assertEquals(0, sum / 16, 1e-5);
                assertEquals(1, sq / 16, 1e-3);
            }
            // the running statistics handed in are left as they were
            assertArrayEquals(randn(4, 3).toFloatArray(), NdArray.fromTorch(params.get("m")).toFloatArray());
        }
    }

    @Test
    void instanceNorm() {
        node("InstanceNormalization").input("x", randn(1, 2, 3, 5, 4)).param("s", randn(2, 3)).param("b", randn(3, 3))
                .symbolicBatch().check();
        node("InstanceNormalization").input("x", randn(1, 2, 3, 9)).param("s", randn(2, 3)).param("b", randn(3, 3))
                .attr("epsilon", 1e-3f).check();
    }

    @Test
    void layerNormLastAxis() {
        node("LayerNormalization").input("x", randn(1, 2, 5, 8)).param("s", randn(2, 8)).param("b", randn(3, 8))
                .symbolicBatch().check();
        node("LayerNormalization").input("x", randn(1, 3, 6)).param("s", randn(2, 6)).attr("epsilon", 1e-3f).check();
    }

    @Test
    void layerNormOverSeveralAxes() {
        node("LayerNormalization").input("x", randn(1, 2, 3, 4, 5)).param("s", randn(2, 4, 5)).param("b", randn(3, 4, 5))
                .attr("axis", 2L).symbolicBatch().check();
        node("LayerNormalization").input("x", randn(1, 2, 3, 4)).param("s", randn(2, 3, 4)).attr("axis", -2L).check();
        node("LayerNormalization").input("x", randn(1, 2, 3, 4)).param("s", randn(2, 3, 4)).param("b", randn(3, 3, 4))
                .attr("axis", 1L).check();
    }

    @Test
    void layerNormBroadcastScaleAndStatisticsOutputs() {
        // Scale broadcast to the normalised shape rather than equal to it
        node("LayerNormalization").input("x", randn(1, 2, 3, 4)).param("s", randn(2, 4)).param("b", randn(3, 1))
                .attr("axis", 1L).check();
        Node n = new Node("ln", "LayerNormalization", List.of("x", "s", "b"), List.of("y", "mean", "rstd"),
                Attributes.NONE.with("axis", new dev.orbit.graph.Attr.Int(-2)));
        OpCheck.graph(n).feed("x", randn(1, 2, 3, 4)).constant("s", randn(2, 3, 4)).constant("b", randn(3, 3, 4))
                .output("y").output("mean").output("rstd").check();
    }

    @Test
    void shapeInference() {
        Shape s = ShapeInference.infer(node("BatchNormalization").input("x", randn(1, 2, 3, 5, 4)).param("s", randn(2, 3))
                .param("b", randn(3, 3)).param("m", randn(4, 3)).param("v", uniform(5, 0.5f, 2f, 3))
                .symbolicBatch().model()).get("y").shape();
        assertEquals(Shape.of(Dim.symbol("batch"), Dim.of(3), Dim.of(5), Dim.of(4)), s);
        var bad = node("BatchNormalization").input("x", randn(1, 2, 3, 5)).param("s", randn(2, 4))
                .param("b", randn(3, 3)).param("m", randn(4, 3)).param("v", uniform(5, 0.5f, 2f, 3));
        assertThrows(ShapeException.class, bad::model);
        var badLn = node("LayerNormalization").input("x", randn(1, 2, 3, 4)).param("s", randn(2, 5));
        assertThrows(ShapeException.class, badLn::model);
    }
}
