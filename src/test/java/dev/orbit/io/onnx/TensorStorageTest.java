package dev.orbit.io.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import ai.onnx.proto.OnnxMl;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.ModelFormatException;
import dev.orbit.graph.ValueInfo;
import dev.orbit.graph.ValueType;
import dev.orbit.graph.Shape;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/**
 * Every element type survives export and import bit for bit (NaN payloads, negative zero, subnormals, uint64
 * values ≥ 2⁶³), and every TensorProto storage field a file may use decodes to the same values as raw_data.
 */
class TensorStorageTest {
    private static NdArray randomBits(DType t, int n, long seed) {
        byte[] b = new byte[n * t.byteSize];
        new Random(seed).nextBytes(b);
        if (t == DType.BOOL) for (int i = 0; i < n; i++) b[i] &= 1;
        return NdArray.ofBytes(t, new long[] {n}, b);
    }

    @Test
    void everyTypeRoundTripsBitExactThroughAnOnnxFile() {
        Map<String, NdArray> params = new java.util.LinkedHashMap<>();
        for (DType t : DType.values()) {
            if (!t.isPacked4()) params.put("p_" + t.onnxName(), randomBits(t, 257, t.onnxCode)); // packed 4-bit: Int4Test
        }
        params.put("empty_f16", NdArray.zeros(DType.FLOAT16, 0, 3));
        Graph g = new Graph("types", List.of(), List.of(new ValueInfo("p_float32", new ValueType(DType.FLOAT32, Shape.of(257)))),
                List.of(), params, Map.of(), "");
        Model back = OnnxImporter.read(OnnxExporter.toBytes(new Model(g, Map.of("", 17L), Model.ModelInfo.orbit())), null, "types");
        for (var e : params.entrySet()) {
            NdArray got = back.graph().parameter(e.getKey());
            assertEquals(e.getValue().dtype(), got.dtype(), e.getKey());
            assertArrayEquals(e.getValue().shape(), got.shape(), e.getKey());
            assertArrayEquals(e.getValue().toBytes(), got.toBytes(), e.getKey());
        }
    }

    @Test
    void typedFieldsDecodeLikeRawData() {
        for (DType t : DType.values()) {
            if (t.isPacked4()) continue; // two values per int32_data entry: Int4Test
            NdArray want = randomBits(t, 33, 100 + t.onnxCode);
            var b = OnnxMl.TensorProto.newBuilder().setDataType(t.onnxCode).addDims(33);
            for (int i = 0; i < 33; i++) {
                switch (t) {
                    case FLOAT32 -> b.addFloatData(Float.intBitsToFloat(bitsAt(want, i, 4)));
                    case FLOAT64 -> b.addDoubleData(Double.longBitsToDouble(want.getLong(i)));
                    case INT64 -> b.addInt64Data(want.getLong(i));
                    case UINT32, UINT64 -> b.addUint64Data(want.getAsLong(i));
                    case FLOAT16, BFLOAT16 -> b.addInt32Data(bitsAt(want, i, 2) & 0xffff); // unsigned pattern, as ONNX writes it
                    default -> b.addInt32Data((int) want.getAsLong(i));
                }
            }
            NdArray got = OnnxTensors.decode(b.build());
            assertEquals(t, got.dtype());
            assertArrayEquals(want.toBytes(), got.toBytes(), t + " from its typed field");
        }
    }

    private static int bitsAt(NdArray a, int i, int width) {
        var seg = a.segment();
        return width == 4 ? seg.get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, (long) i * 4)
                : seg.get(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, (long) i * 2);
    }

    @Test
    void aFieldWithTheWrongCountAndUnsupportedTypesAreModelErrors() {
        var shortField = OnnxMl.TensorProto.newBuilder().setName("w").setDataType(DType.FLOAT16.onnxCode).addDims(3)
                .addInt32Data(1).build();
        assertThrows(ModelFormatException.class, () -> OnnxTensors.decode(shortField));
        var string = OnnxMl.TensorProto.newBuilder().setName("s").setDataType(8).addDims(1)
                .addStringData(com.google.protobuf.ByteString.copyFromUtf8("x")).build();
        var e = assertThrows(ModelFormatException.class, () -> OnnxTensors.decode(string));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("string"), e.getMessage());
    }
}
