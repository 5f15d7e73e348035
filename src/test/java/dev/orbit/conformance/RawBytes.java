package dev.orbit.conformance;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import ai.onnx.proto.OnnxMl;
import dev.orbit.tensor.NdArray;

/** A TensorProto's values as little-endian bytes, whichever field the file stored them in. */
final class RawBytes {
    private RawBytes() {}

    static ByteBuffer of(OnnxMl.TensorProto t) {
        if (!t.getRawData().isEmpty()) return t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        int n = Math.toIntExact(NdArray.count(t.getDimsList().stream().mapToLong(Long::longValue).toArray()));
        int type = t.getDataType();
        int size = switch (type) {
            case ElementType.INT8, ElementType.UINT8, ElementType.BOOL -> 1;
            case ElementType.INT16, ElementType.UINT16, ElementType.FLOAT16, ElementType.BFLOAT16 -> 2;
            case ElementType.FLOAT, ElementType.INT32, ElementType.UINT32 -> 4;
            case ElementType.DOUBLE, ElementType.INT64, ElementType.UINT64 -> 8;
            default -> throw new IllegalArgumentException("no raw form for " + ElementType.name(type));
        };
        ByteBuffer b = ByteBuffer.allocate(n * size).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            switch (type) {
                case ElementType.FLOAT -> b.putFloat(t.getFloatData(i));
                case ElementType.DOUBLE -> b.putDouble(t.getDoubleData(i));
                case ElementType.INT64 -> b.putLong(t.getInt64Data(i));
                case ElementType.UINT64 -> b.putLong(t.getUint64Data(i));
                case ElementType.UINT32 -> b.putInt((int) t.getUint64Data(i));
                case ElementType.INT32 -> b.putInt(t.getInt32Data(i));
                case ElementType.INT16, ElementType.UINT16, ElementType.FLOAT16, ElementType.BFLOAT16 ->
                        b.putShort((short) t.getInt32Data(i));
                default -> b.put((byte) t.getInt32Data(i));
            }
        }
        return b.flip();
    }
}
