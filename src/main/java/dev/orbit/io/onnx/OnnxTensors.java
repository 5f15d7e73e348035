package dev.orbit.io.onnx;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import ai.onnx.proto.OnnxMl;
import dev.orbit.graph.ModelFormatException;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/** ONNX TensorProto ⇄ {@link NdArray}: every storage field on the way in, raw little-endian data on the way out. */
public final class OnnxTensors {
    private OnnxTensors() {}

    /** Decodes a tensor; external data is memory-mapped from {@code baseDir} (may be null for the working folder). */
    public static NdArray decode(OnnxMl.TensorProto t, Path baseDir) {
        DType dtype;
        try {
            dtype = DType.fromOnnx(t.getDataType());
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("tensor '" + t.getName() + "': " + e.getMessage());
        }
        long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        long count;
        try {
            count = NdArray.count(shape);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new ModelFormatException("tensor '" + t.getName() + "' has an invalid shape");
        }
        if (t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL) {
            return readExternal(t, dtype, shape, count, baseDir);
        }
        if (!t.getRawData().isEmpty()) {
            if (t.getRawData().size() != count * dtype.byteSize) {
                throw new ModelFormatException("tensor '" + t.getName() + "' holds " + t.getRawData().size()
                        + " bytes, its shape needs " + count * dtype.byteSize);
            }
            return NdArray.ofBytes(dtype, shape, t.getRawData().toByteArray());
        }
        return fromFields(t, dtype, shape, count);
    }

    /**
     * The typed fields ONNX stores values in when raw_data is absent: float_data, double_data, int64_data,
     * uint64_data (uint32, uint64) and int32_data (int32 and every narrower type, float16 and bfloat16 as their
     * 16-bit patterns, bool as 0/1).
     */
    private static NdArray fromFields(OnnxMl.TensorProto t, DType dtype, long[] shape, long count) {
        int have = switch (dtype) {
            case FLOAT32 -> t.getFloatDataCount();
            case FLOAT64 -> t.getDoubleDataCount();
            case INT64 -> t.getInt64DataCount();
            case UINT32, UINT64 -> t.getUint64DataCount();
            default -> t.getInt32DataCount();
        };
        if (have != count) {
            throw new ModelFormatException("tensor '" + t.getName() + "' holds " + have + " values, its shape needs " + count);
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

    /** Maps the tensor's bytes straight from the external file: multi-GB weights are never copied. */
    private static NdArray readExternal(OnnxMl.TensorProto t, DType dtype, long[] shape, long count, Path baseDir) {
        String location = null;
        long offset = 0;
        long length = -1;
        for (var kv : t.getExternalDataList()) {
            switch (kv.getKey()) {
                case "location" -> location = kv.getValue();
                case "offset" -> offset = Long.parseLong(kv.getValue());
                case "length" -> length = Long.parseLong(kv.getValue());
                default -> { }
            }
        }
        if (location == null) throw new ModelFormatException("tensor '" + t.getName() + "' is external but names no file");
        long bytes = count * dtype.byteSize;
        if (length >= 0 && length != bytes) {
            throw new ModelFormatException("tensor '" + t.getName() + "' external length " + length + " != " + bytes);
        }
        Path file = (baseDir == null ? Path.of(".") : baseDir).resolve(location).normalize();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (offset + bytes > ch.size()) {
                throw new ModelFormatException("external data file '" + file + "' is too short for tensor '" + t.getName() + "'");
            }
            MemorySegment seg = bytes == 0 ? MemorySegment.ofArray(new byte[0])
                    : ch.map(FileChannel.MapMode.READ_ONLY, offset, bytes, Arena.ofAuto());
            return NdArray.wrap(dtype, shape, seg);
        } catch (IOException e) {
            throw new ModelFormatException("cannot read external data '" + file + "' for tensor '" + t.getName() + "': " + e.getMessage());
        }
    }

    /** The tensor as ONNX stores it: raw little-endian data. */
    public static OnnxMl.TensorProto encode(String name, NdArray a) {
        var b = OnnxMl.TensorProto.newBuilder().setDataType(a.dtype().onnxCode);
        if (!name.isEmpty()) b.setName(name);
        for (long d : a.shape()) b.addDims(d);
        // one copy out of the segment (native, mapped or heap), then wrapped without a second copy
        b.setRawData(com.google.protobuf.UnsafeByteOperations.unsafeWrap(a.toBytes()));
        return b.build();
    }
}
