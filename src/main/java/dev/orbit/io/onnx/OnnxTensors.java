package dev.orbit.io.onnx;

import ai.onnx.proto.OnnxMl;
import dev.orbit.graph.ModelFormatException;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;
import dev.orbit.tensor.Nibbles;

/** ONNX TensorProto ⇄ {@link NdArray}: every storage field on the way in, raw little-endian data on the way out. */
public final class OnnxTensors {
    private OnnxTensors() {}

    /**
     * Decodes a tensor held in memory (a test-data .pb file, an attribute). External data is refused here: a model's
     * external tensors are read only through its importer, confined to the model's folder.
     */
    public static NdArray decode(OnnxMl.TensorProto t) {
        String who = "tensor " + dev.orbit.io.Text.quote(t.getName());
        DType dtype;
        try {
            dtype = DType.fromOnnx(t.getDataType());
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(who + ": " + e.getMessage());
        }
        if (t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL) {
            throw new ModelFormatException(who + " keeps its values in an external file, which only a model's own folder may hold");
        }
        long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        long count;
        try {
            count = NdArray.count(shape);
            Math.multiplyExact(count, (long) dtype.byteSize);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new ModelFormatException(who + " has an invalid shape");
        }
        if (!t.getRawData().isEmpty()) {
            if (t.getRawData().size() != dtype.fileBytes(count)) {
                throw new ModelFormatException(who + " holds " + t.getRawData().size()
                        + " bytes, its shape needs " + dtype.fileBytes(count));
            }
            if (dtype.isPacked4()) return Nibbles.unpack(dtype, shape, java.lang.foreign.MemorySegment.ofArray(t.getRawData().toByteArray()));
            return NdArray.ofBytes(dtype, shape, t.getRawData().toByteArray());
        }
        if (fieldCount(t, dtype) != fieldValues(dtype, count)) {
            throw new ModelFormatException(who + " holds " + fieldCount(t, dtype) + " values, its shape needs " + fieldValues(dtype, count));
        }
        return fromFields(t, dtype, shape, count);
    }

    /** How many values the typed field that holds {@code dtype} carries. */
    static int fieldCount(OnnxMl.TensorProto t, DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> t.getFloatDataCount();
            case FLOAT64 -> t.getDoubleDataCount();
            case INT64 -> t.getInt64DataCount();
            case UINT32, UINT64 -> t.getUint64DataCount();
            default -> t.getInt32DataCount();
        };
    }

    /**
     * The typed fields ONNX stores values in when raw_data is absent: float_data, double_data, int64_data,
     * uint64_data (uint32, uint64) and int32_data (int32 and every narrower type, float16 and bfloat16 as their
     * 16-bit patterns, bool as 0/1).
     */
    /** How many typed-field entries a tensor of {@code count} values has: int4/uint4 pack two per int32_data entry. */
    static long fieldValues(DType dtype, long count) { return dtype.isPacked4() ? (count + 1) / 2 : count; }

    /** Callers have checked {@link #fieldCount} against {@link #fieldValues} (before any allocation). */
    static NdArray fromFields(OnnxMl.TensorProto t, DType dtype, long[] shape, long count) {
        if (dtype.isPacked4()) {
            byte[] packed = new byte[t.getInt32DataCount()];
            for (int i = 0; i < packed.length; i++) packed[i] = (byte) t.getInt32Data(i);
            return Nibbles.unpack(dtype, shape, java.lang.foreign.MemorySegment.ofArray(packed));
        }
        NdArray a = NdArray.zeros(dtype, shape);
        for (int i = 0; i < count; i++) {
            switch (dtype) {
                case FLOAT32 -> a.setFloat(i, t.getFloatData(i));
                case FLOAT64 -> a.setDouble(i, t.getDoubleData(i));
                case INT64 -> a.setLong(i, t.getInt64Data(i));
                case UINT32, UINT64 -> a.setAsLong(i, t.getUint64Data(i));
                // the bit pattern, not the value: setAsLong wraps to the type's width without rounding
                case FLOAT16, BFLOAT16 -> a.segment().setAtIndex(HALF_BITS, i, (short) t.getInt32Data(i));
                default -> a.setAsLong(i, t.getInt32Data(i));
            }
        }
        return a;
    }

    private static final java.lang.foreign.ValueLayout.OfShort HALF_BITS =
            java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    /** The tensor as ONNX stores it: raw little-endian data. */
    public static OnnxMl.TensorProto encode(String name, NdArray a) {
        var b = OnnxMl.TensorProto.newBuilder().setDataType(a.dtype().onnxCode);
        if (!name.isEmpty()) b.setName(name);
        for (long d : a.shape()) b.addDims(d);
        // one copy out of the segment (native, mapped or heap), then wrapped without a second copy
        b.setRawData(com.google.protobuf.UnsafeByteOperations.unsafeWrap(a.dtype().isPacked4() ? Nibbles.pack(a) : a.toBytes()));
        return b.build();
    }
}
