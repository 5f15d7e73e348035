package dev.orbit.ops;

import static dev.orbit.ops.OpCheck.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.orbit.eval.Evaluator;
import dev.orbit.eval.ShapeInference;
import dev.orbit.graph.Attr;
import dev.orbit.graph.Attributes;
import dev.orbit.graph.Dim;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ShapeException;
import dev.orbit.graph.ValueInfo;
import dev.orbit.graph.ValueType;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

class ShapeOpsTest {
    private static final Dim BATCH = Dim.symbol("batch");

    static Node n(String op, List<String> ins, List<String> outs, Object... attrs) {
        Attributes a = Attributes.NONE;
        for (int i = 0; i < attrs.length; i += 2) {
            Attr v = switch (attrs[i + 1]) {
                case Long l -> new Attr.Int(l);
                case Integer k -> new Attr.Int(k);
                case long[] ls -> new Attr.Ints(ls);
                case NdArray t -> new Attr.TensorValue(t);
                case Attr at -> at;
                default -> throw new IllegalArgumentException(attrs[i + 1].toString());
            };
            a = a.with((String) attrs[i], v);
        }
        return new Node(outs.getFirst() + "_node", op, ins, outs, a);
    }

    static NdArray scalarLong(long v) { return NdArray.ofLongs(new long[] {v}); }

    static Shape shapeOf(OpCheck c, String value) { return ShapeInference.infer(c.model()).get(value).shape(); }

    @Test
    void flattenAtEveryAxis() {
        for (long axis : new long[] {0, 1, 2, 3, -1}) {
            node("Flatten").input("x", randn(1, 2, 3, 4)).attr("axis", axis).opset(13).symbolicBatch().check();
        }
        node("Flatten").input("x", randn(2, 2, 3, 4)).opset(9).check();
        OpCheck c = node("Flatten").input("x", randn(1, 2, 3, 4)).symbolicBatch();
        assertEquals(Shape.of(BATCH, Dim.of(12)), shapeOf(c, "y"));
    }

    @Test
    void reshapeCopiesZerosAndSolvesMinusOne() {
        node("Reshape").input("x", randn(1, 2, 3, 4)).param("s", longs(0, -1)).opset(13).symbolicBatch().check();
        node("Reshape").input("x", randn(1, 2, 3, 4)).param("s", longs(4, 0, -1)).opset(13).check();
        node("Reshape").input("x", randn(1, 2, 3, 4)).param("s", longs(-1)).opset(9).check();
        node("Reshape").input("x", randn(1, 2, 3, 4)).param("s", longs(6, 4)).attr("allowzero", 1L).opset(14).check();
        OpCheck c = node("Reshape").input("x", randn(1, 2, 3, 4)).param("s", longs(-1, 12)).symbolicBatch();
        assertEquals(Shape.of(BATCH, Dim.of(12)), shapeOf(c, "y"), "a lone symbol balances the numbers");
        OpCheck bad = node("Reshape").input("x", randn(1, 2, 3, 4)).param("s", longs(5, -1));
        assertThrows(ShapeException.class, () -> ShapeInference.infer(bad.model()));
    }

    @Test
    void squeezeAndUnsqueezeAcrossOpsets() {
        node("Squeeze").input("x", randn(1, 2, 1, 3, 1)).attr("axes", 1L, -1L).opset(11).check();
        node("Squeeze").input("x", randn(1, 2, 1, 3, 1)).param("a", longs(-3)).opset(13).symbolicBatch().check();
        node("Squeeze").input("x", randn(1, 1, 2, 1, 3)).opset(13).check();
        node("Unsqueeze").input("x", randn(1, 2, 3)).attr("axes", 0L, -1L).opset(11).check();
        node("Unsqueeze").input("x", randn(1, 2, 3)).param("a", longs(1, 3)).opset(13).symbolicBatch().check();
        node("Unsqueeze").input("x", randn(1, 2, 3)).param("a", longs(-1)).opset(21).check();
        OpCheck wrong = node("Squeeze").input("x", randn(1, 2, 3)).param("a", longs(1)).opset(13);
        assertThrows(ShapeException.class, () -> ShapeInference.infer(wrong.model()));
    }

    @Test
    void transposeIdentityDropout() {
        node("Transpose").input("x", randn(1, 2, 3, 4)).symbolicBatch().check();
        node("Transpose").input("x", randn(1, 2, 3, 4)).attr("perm", 0L, 2L, 1L).symbolicBatch().check();
        node("Identity").input("x", randn(1, 2, 3)).symbolicBatch().check();
        node("Dropout").input("x", randn(1, 2, 3)).check();
        node("Dropout").input("x", randn(1, 2, 3)).param("r", scalarFloat(0.3f)).opset(13).check();
        for (long opset : new long[] {12, 13}) {
            graph(n("Dropout", List.of("x"), List.of("y", "m"))).feed("x", randn(3, 2, 5))
                    .output("y").output("m").opset(opset).check();
        }
        // before opset 12 ONNX Runtime fills the inference mask with zeros; Orbit keeps the all-kept mask of
        // the later spec. Its type is the data's before opset 10 and bool from 10.
        for (long opset : new long[] {9, 10}) {
            OpCheck c = graph(n("Dropout", List.of("x"), List.of("y", "m"), "ratio", new Attr.Float(0.2f)))
                    .feed("x", randn(3, 2, 5)).output("y").opset(opset);
            c.check();
            var graph = c.model().graph();
            var withMask = c.model().withGraph(new Graph("test", graph.inputs(),
                    List.of(new ValueInfo("m", ValueType.unknown(opset < 10 ? DType.FLOAT32 : DType.BOOL))),
                    graph.nodes(), graph.parameters(), Map.of(), ""));
            NdArray mask = new Evaluator(withMask).run(Map.of("x", randn(3, 2, 5))).get("m");
            assertEquals(opset < 10 ? DType.FLOAT32 : DType.BOOL, mask.dtype());
            for (double v : mask.toDoubleArray()) assertEquals(1.0, v);
        }
    }

    @Test
    void shapeWithStartAndEnd() {
        node("Shape").input("x", randn(1, 2, 3, 4)).opset(13).symbolicBatch().check();
        node("Shape").input("x", randn(1, 2, 3, 4)).attr("start", 1L).attr("end", -1L).opset(15).check();
        node("Shape").input("x", randn(1, 2, 3, 4)).attr("start", -2L).opset(15).check();
        node("Shape").input("x", randn(1, 2, 3, 4)).attr("start", -9L).attr("end", 9L).opset(19).check();
        OpCheck c = node("Shape").input("x", randn(1, 2, 3, 4)).symbolicBatch();
        assertEquals(List.of(BATCH, Dim.of(3), Dim.of(4)), ShapeInference.infer(c.model()).get("y").intValues());
    }

    @Test
    void castToEveryType() {
        NdArray x = uniform(1, 0.1f, 100f, 3, 4);
        for (DType to : DType.values()) {
            if (to.isPacked4()) continue; // Cast to int4/uint4 exists from opset 21 only
            node("Cast").input("x", x).attr("to", (long) to.onnxCode).opset(13).check();
        }
        node("Cast").input("x", randn(2, 3, 4)).attr("to", (long) DType.INT32.onnxCode).opset(9).check();
        node("Cast").input("x", longs(3, -4, 0, 7)).attr("to", (long) DType.FLOAT32.onnxCode).check();
        node("Cast").input("x", longs(3, -4, 0, 7)).attr("to", (long) DType.BOOL.onnxCode).check();
    }

    @Test
    void expandBroadcastsBothWays() {
        node("Expand").input("x", randn(1, 3, 1)).param("s", longs(2, 3, 4)).symbolicBatch().check();
        node("Expand").input("x", randn(1, 3, 1)).param("s", longs(2, 1, 1, 5)).check();
        node("Expand").input("x", randn(1, 2, 3)).param("s", longs(1)).check();
        node("Expand").input("x", randn(1, 1, 3)).param("s", longs(4, 1)).opset(9).check();
        // a computed target shape: its tracked values carry the batch symbol
        OpCheck c = graph(n("Shape", List.of("x"), List.of("s")), n("Expand", List.of("p", "s"), List.of("y")))
                .feed("x", randn(1, 2, 3, 4)).constant("p", randn(2, 1, 4)).output("y").symbolicBatch();
        c.check();
        assertEquals(Shape.of(BATCH, Dim.of(3), Dim.of(4)), shapeOf(c, "y"));
    }

    @Test
    void constantsInHandBuiltGraphs() {
        NdArray value = randn(5, 2, 3);
        graph(n("Constant", List.of(), List.of("c"), "value", value), n("Add", List.of("x", "c"), List.of("y")))
                .feed("x", randn(1, 2, 3)).output("y").output("c").check();
        graph(n("Constant", List.of(), List.of("c"), "value_float", new Attr.Float(2.5f)),
                n("Mul", List.of("x", "c"), List.of("y")))
                .feed("x", randn(1, 2, 3)).output("y").check();
        graph(n("Constant", List.of(), List.of("c"), "value_ints", new long[] {-1, 3}),
                n("Reshape", List.of("x", "c"), List.of("y")))
                .feed("x", randn(1, 2, 3)).output("y").output("c").check();
        graph(n("Constant", List.of(), List.of("c"), "value_int", 4L),
                n("Constant", List.of(), List.of("f"), "value_floats", new Attr.Floats(new float[] {1f, 2f})),
                n("Add", List.of("x", "f"), List.of("y")))
                .feed("x", randn(1, 3, 2)).output("y").output("c").opset(13).check();
    }

    @Test
    void constantOfShapeAndRange() {
        node("ConstantOfShape").param("s", longs(2, 3)).check();
        node("ConstantOfShape").param("s", longs(4)).attr("value", new Attr.TensorValue(NdArray.ofLongs(new long[] {7}, 1))).check();
        node("ConstantOfShape").param("s", longs(2, 2))
                .attr("value", new Attr.TensorValue(NdArray.ofFloats(new float[] {1.5f}, 1))).opset(9).check();
        // from a computed shape, so the symbolic batch reaches the output
        OpCheck c = graph(n("Shape", List.of("x"), List.of("s")), n("ConstantOfShape", List.of("s"), List.of("y")))
                .feed("x", randn(1, 2, 5)).output("y").symbolicBatch();
        c.check();
        assertEquals(Shape.of(BATCH, Dim.of(5)), shapeOf(c, "y"));
        node("Range").param("a", scalarLong(2)).param("b", scalarLong(11)).param("d", scalarLong(3)).check();
        node("Range").param("a", scalarLong(5)).param("b", scalarLong(-4)).param("d", scalarLong(-2)).check();
        node("Range").param("a", scalarFloat(0.5f)).param("b", scalarFloat(3f)).param("d", scalarFloat(0.25f)).check();
        node("Range").param("a", scalarLong(1)).param("b", scalarLong(0)).param("d", scalarLong(1)).check();
    }

    /** PyTorch's view(x.size(0), -1, 4, 8): Shape → Gather → Unsqueeze → Concat → Reshape keeps the batch symbol. */
    @Test
    void pytorchReshapeChainKeepsTheSymbolicBatch() {
        for (long opset : new long[] {11, 13, 18}) {
            boolean axesInput = opset >= 13;
            Node unsq = axesInput ? n("Unsqueeze", List.of("b", "zero1"), List.of("bu"))
                    : n("Unsqueeze", List.of("b"), List.of("bu"), "axes", new long[] {0});
            OpCheck c = graph(
                    n("Shape", List.of("x"), List.of("s")),
                    n("Gather", List.of("s", "zero"), List.of("b"), "axis", 0L),
                    unsq,
                    n("Concat", List.of("bu", "rest"), List.of("target"), "axis", 0L),
                    n("Reshape", List.of("x", "target"), List.of("y")))
                    .feed("x", randn(1, 2, 8, 32)).constant("zero", scalarLong(0)).constant("rest", longs(-1, 4, 8))
                    .output("y").opset(opset).symbolicBatch();
            if (axesInput) c.constant("zero1", longs(0));
            c.check();
            Map<String, ValueType> types = ShapeInference.infer(c.model());
            assertEquals(List.of(BATCH, Dim.of(-1), Dim.of(4), Dim.of(8)), types.get("target").intValues());
            assertEquals(Shape.of(BATCH, Dim.of(8), Dim.of(4), Dim.of(8)), types.get("y").shape(), "opset " + opset);
        }
    }

    /**
     * PyTorch's expand(b, -1, 3, 4) (LLaMA's repeat_kv): the -1 becomes Where(Equal(shape, −1·ones), ones, shape), which
     * folds on the tracked values (a dimension symbol is never −1), so the Expand's output shape stays known.
     */
    @Test
    void expandWithMinusOneThroughEqualAndWhereKeepsTheSymbolicBatch() {
        NdArray one = NdArray.ofLongs(new long[] {1}, 1);
        OpCheck c = graph(
                n("Shape", List.of("x"), List.of("s")),
                n("Gather", List.of("s", "zero"), List.of("b"), "axis", 0L),
                n("Unsqueeze", List.of("b", "zero1"), List.of("bu")),
                n("Concat", List.of("bu", "rest"), List.of("shape"), "axis", 0L),
                n("ConstantOfShape", List.of("four"), List.of("ones"), "value", one),
                n("Mul", List.of("ones", "minus1"), List.of("minus")),
                n("Equal", List.of("shape", "minus"), List.of("isMinus")),
                n("Where", List.of("isMinus", "ones", "shape"), List.of("target")),
                n("Expand", List.of("p", "target"), List.of("y")))
                .feed("x", randn(1, 5)).constant("zero", scalarLong(0)).constant("zero1", longs(0)).constant("rest", longs(-1, 3, 4))
                .constant("four", longs(4)).constant("minus1", scalarLong(-1)).constant("p", randn(1, 2, 3, 1))
                .output("y").opset(13).symbolicBatch();
        c.check();
        Map<String, ValueType> types = ShapeInference.infer(c.model());
        assertEquals(List.of(Dim.of(0), Dim.of(1), Dim.of(0), Dim.of(0)), types.get("isMinus").intValues());
        assertEquals(List.of(BATCH, Dim.of(1), Dim.of(3), Dim.of(4)), types.get("target").intValues());
        assertEquals(Shape.of(BATCH, Dim.of(2), Dim.of(3), Dim.of(4)), types.get("y").shape());
    }

    /**
     * Swin's window padding as F.pad exports it: (w − W mod w) mod w from the shape, a [pairs, 2] table reversed by a
     * Slice with step −1 and transposed, then flattened into Pad's pads: every step folds, so the pads are known.
     */
    @Test
    void padAmountsComputedFromTheShapeFold() {
        OpCheck c = graph(
                n("Shape", List.of("x"), List.of("s")),
                n("Gather", List.of("s", "two"), List.of("w"), "axis", 0L),
                n("Mod", List.of("w", "window"), List.of("m")),
                n("Sub", List.of("window", "m"), List.of("d")),
                n("Mod", List.of("d", "window"), List.of("pad")),
                n("Unsqueeze", List.of("pad", "zero1"), List.of("padu")),
                n("Concat", List.of("zero1", "padu", "rest"), List.of("table"), "axis", 0L),
                n("Reshape", List.of("table", "pairs"), List.of("table2")),
                n("Slice", List.of("table2", "minus1", "huge", "zero1", "minus1"), List.of("reversed")),
                n("Transpose", List.of("reversed"), List.of("t"), "perm", new long[] {1, 0}),
                n("Reshape", List.of("t", "minus1"), List.of("pads")),
                n("Pad", List.of("x", "pads"), List.of("y")))
                .feed("x", randn(1, 2, 3, 6)).constant("two", scalarLong(2)).constant("window", scalarLong(4))
                .constant("zero1", longs(0)).constant("rest", longs(0, 0, 0, 0)).constant("pairs", longs(-1, 2))
                .constant("minus1", longs(-1)).constant("huge", longs(-Long.MAX_VALUE)).output("y").opset(13).symbolicBatch();
        c.check();
        Map<String, ValueType> types = ShapeInference.infer(c.model());
        assertEquals(List.of(Dim.of(2)), types.get("pad").intValues(), "(4 - 6 mod 4) mod 4");
        // F.pad's (0, 2) for the last axis: table [[0, 2], [0, 0], [0, 0]] reversed → [[0, 0], [0, 0], [0, 2]], transposed
        // → begins 0 0 0, ends 0 0 2
        assertEquals(List.of(Dim.of(0), Dim.of(0), Dim.of(0), Dim.of(0), Dim.of(0), Dim.of(2)), types.get("pads").intValues());
        assertEquals(Shape.of(BATCH, Dim.of(3), Dim.of(8)), types.get("y").shape());
    }

    /** x.flatten(1) as exported through Shape → Slice → Concat → Reshape, with a Cast on the way. */
    @Test
    void sliceAndCastChainKeepsTheSymbolicBatch() {
        OpCheck c = graph(
                n("Shape", List.of("x"), List.of("s")),
                n("Slice", List.of("s", "st", "en"), List.of("lead")),
                n("Cast", List.of("lead"), List.of("lead64"), "to", (long) DType.INT64.onnxCode),
                n("Concat", List.of("lead64", "minus1"), List.of("target"), "axis", -1L),
                n("Reshape", List.of("x", "target"), List.of("y")))
                .feed("x", randn(1, 3, 4, 5)).constant("st", longs(0)).constant("en", longs(1))
                .constant("minus1", longs(-1)).output("y").opset(13).symbolicBatch();
        c.check();
        assertEquals(Shape.of(BATCH, Dim.of(20)), shapeOf(c, "y"));
    }
}
