package dev.orbit.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.orbit.graph.Attributes;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ShapeException;
import dev.orbit.graph.ValueInfo;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.OpCheck;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/**
 * The evaluator's dtype policies: float16/bfloat16 computed per op in float32 and rounded back (bit-identical to
 * ONNX Runtime, which computes its float16 kernels the same way), unsigned types carried in int64 with ONNX's
 * modular wrap, uint64 ≥ 2⁶³ refused, and zero-size inputs evaluated.
 */
class DTypePolicyTest {
    private static Model oneNode(String op, Attributes attrs, List<ValueInfo> ins, DType out) {
        List<String> names = ins.stream().map(ValueInfo::name).toList();
        Graph g = new Graph("t", ins, List.of(new ValueInfo("y", ValueType.unknown(out))),
                List.of(new Node("n", op, names, List.of("y"), attrs)), Map.of(), Map.of(), "");
        return new Model(g, Map.of("", 17L), Model.ModelInfo.orbit());
    }

    private static ValueInfo in(String name, DType t, long... shape) {
        return new ValueInfo(name, new ValueType(t, Shape.of(shape)));
    }

    @Test
    void float16OpsMatchOnnxRuntimeBitForBit() {
        NdArray a = OpCheck.randn(1, 4, 33).to(DType.FLOAT16);
        NdArray b = OpCheck.randn(2, 4, 33).to(DType.FLOAT16);
        for (String op : List.of("Add", "Mul", "Div")) {
            NdArray y = OpCheck.node(op).input("a", a).input("b", b).tolerance(0).check().get("y");
            assertEquals(DType.FLOAT16, y.dtype(), op);
        }
        for (String op : List.of("Sigmoid", "Tanh", "Relu", "Exp")) {
            NdArray y = OpCheck.node(op).input("x", a).tolerance(0).check().get("y");
            assertEquals(DType.FLOAT16, y.dtype(), op);
        }
        NdArray w = OpCheck.randn(3, 33, 5).to(DType.FLOAT16);
        OpCheck.node("MatMul").input("a", a).param("w", w).tolerance(2e-3).check();
    }

    @Test
    void eachOpIsRoundedToHalfNotTheWholeGraph() {
        // (a·b)·c in float16 rounds after each product; in float32 throughout it would not
        NdArray a = NdArray.ofFloats(new float[] {1.0009765625f}, 1).to(DType.FLOAT16); // 1 + 2^-10
        Graph g = new Graph("t", List.of(in("a", DType.FLOAT16, 1)), List.of(new ValueInfo("z", ValueType.unknown(DType.FLOAT16))),
                List.of(new Node("m1", "Mul", List.of("a", "a"), List.of("y"), Attributes.NONE),
                        new Node("m2", "Mul", List.of("y", "a"), List.of("z"), Attributes.NONE)), Map.of(), Map.of(), "");
        NdArray z = new Evaluator(new Model(g, Map.of("", 17L), Model.ModelInfo.orbit())).run(Map.of("a", a)).get("z");
        double x = 1 + Math.pow(2, -10);
        double y = roundHalf(x * x);
        assertEquals(roundHalf(y * x), z.getAsDouble(0), "rounded after each op");
    }

    private static double roundHalf(double v) {
        NdArray h = NdArray.zeros(DType.FLOAT16, 1);
        h.setAsDouble(0, v);
        return h.getAsDouble(0);
    }

    @Test
    void aCastFromFloat16ToFloat32StaysFloat32() {
        NdArray x = OpCheck.randn(4, 3, 5).to(DType.FLOAT16);
        NdArray y = OpCheck.node("Cast").attr("to", (long) DType.FLOAT32.onnxCode).input("x", x).check().get("y");
        assertEquals(DType.FLOAT32, y.dtype());
        assertArrayEquals(x.toDoubleArray(), y.toDoubleArray());
    }

    @Test
    void bfloat16IsComputedInFloat32AndRoundedBack() {
        NdArray a = OpCheck.randn(5, 64).to(DType.BFLOAT16);
        NdArray b = OpCheck.randn(6, 64).to(DType.BFLOAT16);
        Model m = oneNode("Add", Attributes.NONE, List.of(in("a", DType.BFLOAT16, 64), in("b", DType.BFLOAT16, 64)), DType.BFLOAT16);
        NdArray y = new Evaluator(m).run(Map.of("a", a, "b", b)).get("y");
        assertEquals(DType.BFLOAT16, y.dtype());
        NdArray want = NdArray.zeros(DType.BFLOAT16, 64);
        for (int i = 0; i < 64; i++) want.setAsDouble(i, (float) (a.getAsDouble(i) + b.getAsDouble(i)));
        assertArrayEquals(want.toBytes(), y.toBytes());
    }

    @Test
    void unsignedArithmeticWrapsToItsWidth() {
        NdArray a = NdArray.zeros(DType.UINT32, 2);
        a.setAsLong(0, 0xffffffffL);
        a.setAsLong(1, 5);
        NdArray one = NdArray.zeros(DType.UINT32, 2);
        one.setAsLong(0, 1);
        one.setAsLong(1, 7);
        Model add = oneNode("Add", Attributes.NONE, List.of(in("a", DType.UINT32, 2), in("b", DType.UINT32, 2)), DType.UINT32);
        NdArray sum = new Evaluator(add).run(Map.of("a", a, "b", one)).get("y");
        assertEquals(DType.UINT32, sum.dtype());
        assertArrayEquals(new long[] {0, 12}, sum.toLongArray(), "2^32 - 1 + 1 wraps to 0");
        Model sub = oneNode("Sub", Attributes.NONE, List.of(in("a", DType.UINT32, 2), in("b", DType.UINT32, 2)), DType.UINT32);
        assertArrayEquals(new long[] {0xfffffffeL, 0xfffffffeL}, new Evaluator(sub).run(Map.of("a", a, "b", one)).get("y").toLongArray(),
                "5 - 7 wraps to 2^32 - 2");
    }

    @Test
    void uint64PassesBitExactBelowTwoToTheSixtyThreeAndIsRefusedFromThere() {
        Model id = oneNode("Identity", Attributes.NONE, List.of(in("x", DType.UINT64, 2)), DType.UINT64);
        NdArray ok = NdArray.zeros(DType.UINT64, 2);
        ok.setAsLong(0, Long.MAX_VALUE);
        ok.setAsLong(1, 12345);
        NdArray y = new Evaluator(id).run(Map.of("x", ok)).get("y");
        assertEquals(DType.UINT64, y.dtype());
        assertArrayEquals(ok.toBytes(), y.toBytes());
        NdArray big = NdArray.zeros(DType.UINT64, 2);
        big.setAsLong(1, -2L); // 2^64 - 2
        var e = assertThrows(RuntimeException.class, () -> new Evaluator(id).run(Map.of("x", big)));
        assertTrue(e.getMessage().contains("18446744073709551614") && e.getMessage().contains("2^63"), e.getMessage());
    }

    @Test
    void zeroSizeInputsEvaluate() {
        // regression: the evaluator refused any graph input with a zero dimension
        NdArray empty = NdArray.zeros(DType.FLOAT32, 0, 3);
        NdArray y = OpCheck.node("Relu").input("x", empty).check().get("y");
        assertArrayEquals(new long[] {0, 3}, y.shape());
        NdArray noAxes = NdArray.ofLongs(new long[0], 0);
        NdArray x = OpCheck.randn(8, 2, 3);
        Model sum = oneNode("ReduceSum", Attributes.NONE, List.of(in("x", DType.FLOAT32, 2, 3), in("axes", DType.INT64, 0)), DType.FLOAT32);
        NdArray s = new Evaluator(sum).run(Map.of("x", x, "axes", noAxes)).get("y");
        assertArrayEquals(new long[] {1, 1}, s.shape(), "an empty axes input reduces every axis");
        assertEquals(java.util.Arrays.stream(x.toDoubleArray()).sum(), s.getAsDouble(0), 1e-5);
    }

    @Test
    void theDeclaredRankStillMatters() {
        Model id = oneNode("Identity", Attributes.NONE, List.of(in("x", DType.FLOAT32, 0, 3)), DType.FLOAT32);
        assertThrows(ShapeException.class, () -> new Evaluator(id).run(Map.of("x", NdArray.zeros(DType.FLOAT32, 0, 4))));
        assertEquals(0, new Evaluator(id).run(Map.of("x", NdArray.zeros(DType.FLOAT32, 0, 3))).get("y").size());
    }
}
