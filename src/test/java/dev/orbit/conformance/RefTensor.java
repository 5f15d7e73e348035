package dev.orbit.conformance;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import ai.onnx.proto.OnnxMl;
import dev.orbit.tensor.NdArray;

/**
 * A tensor reduced to what the backend rule compares: element type, shape and the values as doubles (strings
 * as strings). Expected outputs are decoded here, independently of Orbit's importer, so an importer bug cannot
 * hide behind the same bug in the reference.
 */
record RefTensor(int elemType, long[] shape, double[] numbers, String[] strings) {
    static RefTensor fromProto(OnnxMl.TensorProto t) {
        long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        int n = Math.toIntExact(NdArray.count(shape));
        int type = t.getDataType();
        if (type == ElementType.STRING) {
            String[] s = new String[n];
            for (int i = 0; i < n; i++) s[i] = t.getStringData(i).toStringUtf8();
            return new RefTensor(type, shape, null, s);
        }
        double[] v = new double[n];
        if (!t.getRawData().isEmpty()) {
            ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) v[i] = readRaw(b, type);
        } else {
            for (int i = 0; i < n; i++) v[i] = readField(t, type, i);
        }
        return new RefTensor(type, shape, v, null);
    }

    /** Orbit's output as the rule sees it. */
    static RefTensor fromOrbit(NdArray a) {
        double[] v = new double[Math.toIntExact(a.size())];
        for (int i = 0; i < v.length; i++) v[i] = a.getAsDouble(i);
        return new RefTensor(a.dtype().onnxCode, a.shape(), v, null);
    }

    /** Little-endian bytes of one element type (as ONNX raw_data and ONNX Runtime's buffers hold them). */
    static RefTensor fromRaw(int type, long[] shape, ByteBuffer bytes) {
        ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        double[] v = new double[Math.toIntExact(NdArray.count(shape))];
        for (int i = 0; i < v.length; i++) v[i] = readRaw(b, type);
        return new RefTensor(type, shape, v, null);
    }

    private static double readRaw(ByteBuffer b, int type) {
        return switch (type) {
            case ElementType.FLOAT -> b.getFloat();
            case ElementType.DOUBLE -> b.getDouble();
            case ElementType.INT8 -> b.get();
            case ElementType.UINT8, ElementType.BOOL -> b.get() & 0xff;
            case ElementType.INT16 -> b.getShort();
            case ElementType.UINT16 -> b.getShort() & 0xffff;
            case ElementType.FLOAT16 -> Float.float16ToFloat(b.getShort());
            case ElementType.BFLOAT16 -> Float.intBitsToFloat((b.getShort() & 0xffff) << 16);
            case ElementType.INT32 -> b.getInt();
            case ElementType.UINT32 -> b.getInt() & 0xffffffffL;
            case ElementType.INT64 -> b.getLong();
            case ElementType.UINT64 -> unsigned(b.getLong());
            default -> throw new IllegalArgumentException("element type " + ElementType.name(type) + " cannot be compared");
        };
    }

    private static double readField(OnnxMl.TensorProto t, int type, int i) {
        return switch (type) {
            case ElementType.FLOAT -> t.getFloatData(i);
            case ElementType.DOUBLE -> t.getDoubleData(i);
            case ElementType.INT64 -> t.getInt64Data(i);
            case ElementType.UINT32 -> t.getUint64Data(i);
            case ElementType.UINT64 -> unsigned(t.getUint64Data(i));
            case ElementType.FLOAT16 -> Float.float16ToFloat((short) t.getInt32Data(i));
            case ElementType.BFLOAT16 -> Float.intBitsToFloat((t.getInt32Data(i) & 0xffff) << 16);
            case ElementType.UINT8, ElementType.BOOL -> t.getInt32Data(i) & 0xff;
            case ElementType.UINT16 -> t.getInt32Data(i) & 0xffff;
            case ElementType.INT8, ElementType.INT16, ElementType.INT32 -> t.getInt32Data(i);
            default -> throw new IllegalArgumentException("element type " + ElementType.name(type) + " cannot be compared");
        };
    }

    private static double unsigned(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
    }

    String describe() {
        return ElementType.name(elemType) + Arrays.toString(shape);
    }
}
