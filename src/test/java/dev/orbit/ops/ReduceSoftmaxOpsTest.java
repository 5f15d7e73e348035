package dev.orbit.ops;

import static dev.orbit.ops.OpCheck.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.orbit.eval.ShapeInference;
import dev.orbit.graph.Dim;
import dev.orbit.graph.Shape;
import dev.orbit.tensor.NdArray;

class ReduceSoftmaxOpsTest {
    /** The opset from which each reduction takes its axes as an input. */
    private static long axesInputSince(String op) { return op.equals("ReduceSum") ? 13 : 18; }

    @ParameterizedTest
    @ValueSource(strings = {"ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin"})
    void axesAsAttributeBeforeTheInputForm(String op) {
        long old = axesInputSince(op) - 1;
        node(op).input("x", randn(1, 2, 3, 4)).attr("axes", new long[] {-1}).opset(old).symbolicBatch().check();
        node(op).input("x", randn(1, 2, 3, 4)).attr("axes", 0L, 2L).attr("keepdims", 0L).opset(old).check();
        node(op).input("x", randn(1, 2, 3, 4)).attr("keepdims", 0L).opset(11).check();
        node(op).input("x", randn(1, 2, 3, 4)).opset(9).symbolicBatch().check();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin"})
    void axesAsInputWithNoopOnEmptyAxes(String op) {
        long since = axesInputSince(op);
        node(op).input("x", randn(1, 2, 3, 4)).param("a", longs(1)).opset(since).symbolicBatch().check();
        node(op).input("x", randn(1, 2, 3, 4)).param("a", longs(-1, 0)).attr("keepdims", 0L).opset(since).check();
        node(op).input("x", randn(1, 2, 3, 4)).opset(since).check();
        node(op).input("x", randn(1, 2, 3, 4)).attr("noop_with_empty_axes", 1L).opset(since).symbolicBatch().check();
        node(op).input("x", randn(1, 2, 3, 4)).param("a", longs()).attr("noop_with_empty_axes", 1L).opset(21).check();
        node(op).input("x", randn(1, 2, 3, 4)).param("a", longs()).attr("keepdims", 0L).opset(21).check();
    }

    @Test
    void integerReductionsKeepTheirType() {
        NdArray x = NdArray.ofLongs(new long[] {3, -7, 10, 4, 1, -2}, 2, 3);
        node("ReduceSum").input("x", x).attr("axes", new long[] {1}).opset(11).check();
        node("ReduceMax").input("x", x).attr("axes", new long[] {0}).attr("keepdims", 0L).opset(13).check();
        node("ReduceMin").input("x", x).opset(13).check();
        node("ReduceMean").input("x", x).attr("axes", new long[] {1}).opset(13).check();
    }

    @Test
    void keptSymbolicBatch() {
        OpCheck c = node("ReduceMean").input("x", randn(1, 2, 3, 4)).param("a", longs(1)).attr("keepdims", 0L)
                .opset(18).symbolicBatch();
        assertEquals(Shape.of(Dim.symbol("batch"), Dim.of(4)), ShapeInference.infer(c.model()).get("y").shape());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Softmax", "LogSoftmax"})
    void perAxisFromOpset13(String op) {
        node(op).input("x", randn(1, 2, 3, 5)).opset(13).symbolicBatch().check();
        node(op).input("x", randn(1, 2, 3, 5)).attr("axis", 1L).opset(13).check();
        node(op).input("x", randn(1, 2, 3, 5)).attr("axis", -3L).opset(21).check();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Softmax", "LogSoftmax"})
    void coercedTo2dBeforeOpset13(String op) {
        // default axis 1 normalises over the flattened [3, 5] block, not over one axis
        node(op).input("x", randn(1, 2, 3, 5)).opset(11).symbolicBatch().check();
        node(op).input("x", randn(1, 2, 3, 5)).attr("axis", 2L).opset(9).check();
        node(op).input("x", randn(1, 2, 3, 5)).attr("axis", -1L).opset(12).check();
        node(op).input("x", randn(1, 2, 3, 5)).attr("axis", 0L).opset(11).check();
    }
}
