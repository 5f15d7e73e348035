package dev.orbit.io.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ai.onnx.proto.OnnxMl;
import dev.orbit.graph.Attr;
import dev.orbit.graph.Attributes;
import dev.orbit.graph.Dim;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.ModelFormatException;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueInfo;
import dev.orbit.graph.ValueType;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;
import dev.orbit.tensor.Nibbles;
import dev.orbit.verify.InputFactory;
import dev.orbit.verify.InputSpec;
import dev.orbit.verify.Verifier;

/**
 * int4/uint4 tensors (packed two per byte in files, low nibble first) and blocked DequantizeLinear (opset 21): the
 * conformance suite stops at opset 17, so these are Orbit's own checks, against the ONNX packing rule and against
 * ONNX Runtime.
 */
class Int4Test {
    @Test
    void packsLowNibbleFirstAndSignExtends() {
        NdArray a = NdArray.ofBytes(DType.INT4, new long[] {5}, new byte[] {-8, 7, -1, 0, 3});
        byte[] packed = Nibbles.pack(a);
        // element 0 (−8 = 0x8) low, element 1 (7) high; −1 (0xF) low, 0 high; 3 low, 0 padding
        assertArrayEquals(new byte[] {(byte) 0x78, (byte) 0x0F, (byte) 0x03}, packed);
        NdArray back = Nibbles.unpack(DType.INT4, new long[] {5}, java.lang.foreign.MemorySegment.ofArray(packed));
        assertArrayEquals(new long[] {-8, 7, -1, 0, 3}, back.toLongArray());
        NdArray u = Nibbles.unpack(DType.UINT4, new long[] {2}, java.lang.foreign.MemorySegment.ofArray(new byte[] {(byte) 0xF1}));
        assertArrayEquals(new long[] {1, 15}, u.toLongArray());
        NdArray w = NdArray.zeros(DType.INT4, 1);
        w.setAsLong(0, 9); // wraps to 4 bits as setAsLong wraps every integer type: 9 → −7
        assertEquals(-7, w.getAsLong(0));
    }

    @Test
    void initializersRoundTripThroughTheExporterAndImporter() {
        Model m = blockedMatMul();
        byte[] bytes = OnnxExporter.toBytes(m);
        OnnxMl.TensorProto t = OnnxExporter.toProto(m).getGraph().getInitializerList().stream()
                .filter(x -> x.getName().equals("w_q")).findFirst().orElseThrow();
        assertEquals(22, t.getDataType());
        assertEquals(6 * 4 / 2, t.getRawData().size(), "two values per byte");
        Model back = OnnxImporter.read(bytes, null, "int4");
        NdArray q = back.graph().parameter("w_q");
        assertEquals(DType.INT4, q.dtype());
        assertArrayEquals(m.graph().parameter("w_q").toLongArray(), q.toLongArray());
        assertArrayEquals(bytes, OnnxExporter.toBytes(back), "export is bit-exact");
    }

    @Test
    void typedFieldStorageIsReadAndAWrongByteCountRefused() {
        OnnxMl.TensorProto fields = OnnxMl.TensorProto.newBuilder().setDataType(22).addDims(3).addInt32Data(0x9F).addInt32Data(0x02).build();
        assertArrayEquals(new long[] {-1, -7, 2}, OnnxTensors.decode(fields).toLongArray());
        OnnxMl.TensorProto bad = OnnxMl.TensorProto.newBuilder().setDataType(21).addDims(5)
                .setRawData(com.google.protobuf.ByteString.copyFrom(new byte[] {1, 2})).build();
        var e = assertThrows(ModelFormatException.class, () -> OnnxTensors.decode(bad));
        assertTrue(e.getMessage().contains("holds 2 bytes, its shape needs 3"), e.getMessage());
    }

    @Test
    void blockedDequantizeLinearMatchesOnnxRuntime() {
        Model m = blockedMatMul();
        var feeds = InputFactory.make(m, new InputSpec.Random(5, InputSpec.Distribution.NORMAL, 3), Map.of());
        var report = Verifier.evaluatorVsOrt(m, "int4 blocked", feeds, "random", 1e-6);
        assertTrue(report.passed(), report.toText());
    }

    @Test
    void quantizeLinearToInt4SaturatesLikeOnnxRuntime() {
        // y = DQ(Q(x)) on the int4 grid with a zero point of 1 and the uint4 grid through output_dtype: values far
        // outside the grid saturate to −8/7 and 0/15
        Map<String, NdArray> params = new java.util.LinkedHashMap<>();
        params.put("s", NdArray.ofFloats(new float[] {0.25f}));
        params.put("zp", NdArray.ofBytes(DType.INT4, new long[0], new byte[] {1}));
        List<Node> nodes = List.of(
                new Node("q", "QuantizeLinear", List.of("x", "s", "zp"), List.of("xq"), Attributes.NONE),
                new Node("dq", "DequantizeLinear", List.of("xq", "s", "zp"), List.of("y"), Attributes.NONE),
                new Node("qu", "QuantizeLinear", List.of("x", "s"), List.of("xu"), Attributes.NONE.with("output_dtype", new Attr.Int(21))),
                new Node("dqu", "DequantizeLinear", List.of("xu", "s"), List.of("yu"), Attributes.NONE));
        var type = new ValueType(DType.FLOAT32, Shape.of(Dim.symbol("n"), Dim.of(7)));
        Graph g = new Graph("q4", List.of(new ValueInfo("x", type)), List.of(new ValueInfo("y", type), new ValueInfo("yu", type)), nodes, params,
                Map.of(), "");
        Model m = new Model(g, Map.of("", 21L), Model.ModelInfo.orbit());
        var feeds = InputFactory.make(m, new InputSpec.Random(9, InputSpec.Distribution.NORMAL, 4), Map.of());
        NdArray x = feeds.get("x");
        for (long i = 0; i < x.size(); i++) x.setAsDouble(i, 3 * x.getAsDouble(i)); // beyond the grid on both sides
        var report = Verifier.evaluatorVsOrt(m, "int4 quantize", feeds, "random", 0);
        assertTrue(report.passed(), report.toText());
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double v : new dev.orbit.eval.Evaluator(m).run(feeds).get("y").toDoubleArray()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        assertEquals(-9 * 0.25, lo, 1e-7); // (−8 − 1)·s
        assertEquals(6 * 0.25, hi, 1e-7); // (7 − 1)·s
    }

    /** y = x · DQ(w_q, scale, block 4 along axis 0): w [6, 4] int4, scale [2, 4]. */
    private static Model blockedMatMul() {
        byte[] q = new byte[24];
        for (int i = 0; i < q.length; i++) q[i] = (byte) ((i * 5) % 15 - 7);
        float[] scale = {0.1f, 0.2f, 0.05f, 0.3f, 0.15f, 0.25f, 0.01f, 0.5f};
        Map<String, NdArray> params = Map.of("w_q", NdArray.ofBytes(DType.INT4, new long[] {6, 4}, q), "w_scale", NdArray.ofFloats(scale, 2, 4));
        List<Node> nodes = List.of(
                new Node("dq", "DequantizeLinear", List.of("w_q", "w_scale"), List.of("w"),
                        Attributes.NONE.with("axis", new Attr.Int(0)).with("block_size", new Attr.Int(4))),
                new Node("mm", "MatMul", List.of("x", "w"), List.of("y"), Attributes.NONE));
        Graph g = new Graph("int4", List.of(new ValueInfo("x", new ValueType(DType.FLOAT32, Shape.of(Dim.symbol("n"), Dim.of(6))))),
                List.of(new ValueInfo("y", new ValueType(DType.FLOAT32, Shape.of(Dim.symbol("n"), Dim.of(4))))), nodes,
                new java.util.LinkedHashMap<>(params), Map.of(), "");
        return new Model(g, Map.of("", 21L), Model.ModelInfo.orbit());
    }
}
