package dev.orbit.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * A dense, row-major n-d array used for storage and I/O. The bytes live in a {@link MemorySegment}:
 * native memory (default), a memory-mapped file region, or any segment a caller supplies. Values are
 * little-endian, as in ONNX raw data. Instances are immutable by convention: Orbit never writes into an
 * array it did not create, so transformed models share untouched parameters with their source.
 */
public final class NdArray {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    static {
        NativeSetup.init();
    }

    private final DType dtype;
    private final long[] shape;
    private final MemorySegment data;

    private NdArray(DType dtype, long[] shape, MemorySegment data) {
        long n = count(shape);
        if (data.byteSize() != n * dtype.byteSize) {
            throw new IllegalArgumentException("array of shape " + Arrays.toString(shape) + " and type " + dtype
                    + " needs " + n * dtype.byteSize + " bytes, got " + data.byteSize());
        }
        this.dtype = dtype;
        this.shape = shape.clone();
        this.data = data;
    }

    /** Wraps existing bytes (heap, native or mapped) without copying. */
    public static NdArray wrap(DType dtype, long[] shape, MemorySegment data) {
        return new NdArray(dtype, shape, data);
    }

    /** A zero-filled array in native memory, freed when unreachable. */
    public static NdArray zeros(DType dtype, long... shape) {
        return new NdArray(dtype, shape, Arena.ofAuto().allocate(Math.max(1, count(shape) * dtype.byteSize), 64)
                .asSlice(0, count(shape) * dtype.byteSize));
    }

    public static NdArray ofFloats(float[] values, long... shape) {
        NdArray a = zeros(DType.FLOAT32, shape);
        checkCount(values.length, shape);
        MemorySegment.copy(values, 0, a.data, F32, 0, values.length);
        return a;
    }

    public static NdArray ofDoubles(double[] values, long... shape) {
        NdArray a = zeros(DType.FLOAT64, shape);
        checkCount(values.length, shape);
        MemorySegment.copy(values, 0, a.data, F64, 0, values.length);
        return a;
    }

    public static NdArray ofLongs(long[] values, long... shape) {
        NdArray a = zeros(DType.INT64, shape);
        checkCount(values.length, shape);
        MemorySegment.copy(values, 0, a.data, I64, 0, values.length);
        return a;
    }

    /**
     * Wraps a Java array without copying (heap memory, little-endian on the x86-64 and aarch64 platforms Orbit
     * ships natives for). The caller hands the array over and must not change it afterwards.
     */
    public static NdArray ofFloatsNoCopy(float[] values, long... shape) {
        checkCount(values.length, shape);
        return new NdArray(DType.FLOAT32, shape, MemorySegment.ofArray(values));
    }

    public static NdArray ofDoublesNoCopy(double[] values, long... shape) {
        checkCount(values.length, shape);
        return new NdArray(DType.FLOAT64, shape, MemorySegment.ofArray(values));
    }

    /** Copies raw little-endian bytes (as found in an ONNX raw_data field) into native memory. */
    public static NdArray ofBytes(DType dtype, long[] shape, byte[] bytes) {
        NdArray a = zeros(dtype, shape);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, a.data, 0, a.data.byteSize());
        return a;
    }

    /** Copies a libtorch tensor (any layout) into a new native array. */
    public static NdArray fromTorch(Tensor t) {
        Tensor c = t.contiguous();
        DType dtype = DType.fromTorch(c.scalar_type());
        long[] shape = c.sizes().vec().get();
        NdArray a = zeros(dtype, shape);
        long bytes = a.data.byteSize();
        if (bytes > 0) {
            MemorySegment src = MemorySegment.ofAddress(c.data_ptr().address()).reinterpret(bytes);
            MemorySegment.copy(src, 0, a.data, 0, bytes);
        }
        return a;
    }

    public DType dtype() { return dtype; }

    public long[] shape() { return shape.clone(); }

    public int rank() { return shape.length; }

    public long dim(int axis) { return shape[axis < 0 ? axis + shape.length : axis]; }

    public long size() { return count(shape); }

    public long byteSize() { return data.byteSize(); }

    /** The backing bytes. Callers must not write into arrays they did not create. */
    public MemorySegment segment() { return data; }

    public float getFloat(long index) { return data.getAtIndex(F32, index); }

    public double getDouble(long index) { return data.getAtIndex(F64, index); }

    public long getLong(long index) { return data.getAtIndex(I64, index); }

    /** Any numeric element as a double (integers widened). */
    public double getAsDouble(long index) {
        return switch (dtype) {
            case FLOAT32 -> data.getAtIndex(F32, index);
            case FLOAT64 -> data.getAtIndex(F64, index);
            case INT64 -> data.getAtIndex(I64, index);
            case INT32 -> data.getAtIndex(I32, index);
            case INT8 -> data.get(ValueLayout.JAVA_BYTE, index);
            case UINT8, BOOL -> data.get(ValueLayout.JAVA_BYTE, index) & 0xff;
        };
    }

    /** Any integer element as a long. */
    public long getAsLong(long index) {
        return switch (dtype) {
            case INT64 -> data.getAtIndex(I64, index);
            case INT32 -> data.getAtIndex(I32, index);
            case INT8 -> data.get(ValueLayout.JAVA_BYTE, index);
            case UINT8, BOOL -> data.get(ValueLayout.JAVA_BYTE, index) & 0xff;
            case FLOAT32 -> (long) data.getAtIndex(F32, index);
            case FLOAT64 -> (long) data.getAtIndex(F64, index);
        };
    }

    public void setFloat(long index, float v) { data.setAtIndex(F32, index, v); }

    public void setDouble(long index, double v) { data.setAtIndex(F64, index, v); }

    public void setLong(long index, long v) { data.setAtIndex(I64, index, v); }

    public float[] toFloatArray() {
        if (dtype == DType.FLOAT32) return data.toArray(F32);
        float[] out = new float[Math.toIntExact(size())];
        for (int i = 0; i < out.length; i++) out[i] = (float) getAsDouble(i);
        return out;
    }

    public double[] toDoubleArray() {
        if (dtype == DType.FLOAT64) return data.toArray(F64);
        double[] out = new double[Math.toIntExact(size())];
        for (int i = 0; i < out.length; i++) out[i] = getAsDouble(i);
        return out;
    }

    public long[] toLongArray() {
        if (dtype == DType.INT64) return data.toArray(I64);
        long[] out = new long[Math.toIntExact(size())];
        for (int i = 0; i < out.length; i++) out[i] = getAsLong(i);
        return out;
    }

    public byte[] toBytes() { return data.toArray(ValueLayout.JAVA_BYTE); }

    /** The same bytes seen with another shape of equal element count. */
    public NdArray reshape(long... newShape) {
        checkCount(size(), newShape);
        return new NdArray(dtype, newShape, data);
    }

    /**
     * A libtorch tensor that reads this array's memory without copying (native segments). Heap segments are
     * copied to native memory first. The view must not outlive this array: keep the array reachable while
     * the tensor is in use, or clone the tensor.
     */
    public Tensor torchView() {
        MemorySegment native_ = data.isNative() ? data : copyToNative();
        TensorOptions options = new TensorOptions(dtype.torchType);
        if (native_.byteSize() == 0) return torch.empty(shape, options, new org.bytedeco.pytorch.MemoryFormatOptional());
        return torch.from_blob(new AddressPointer(native_.address(), native_.byteSize()), shape, options);
    }

    /** A libtorch tensor that owns a copy of the data (safe to keep after this array is gone). */
    public Tensor toTorch() {
        return torchView().clone();
    }

    /** This array if its memory is native (zero-copy views possible), else a native copy. */
    public NdArray toNative() {
        return data.isNative() ? this : copy();
    }

    /** A copy in a fresh native segment. */
    public NdArray copy() {
        NdArray a = zeros(dtype, shape);
        MemorySegment.copy(data, 0, a.data, 0, data.byteSize());
        return a;
    }

    private MemorySegment copyToNative() {
        MemorySegment seg = Arena.ofAuto().allocate(Math.max(1, data.byteSize()), 64).asSlice(0, data.byteSize());
        MemorySegment.copy(data, 0, seg, 0, data.byteSize());
        return seg;
    }

    public static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    private static void checkCount(long n, long[] shape) {
        if (n != count(shape)) {
            throw new IllegalArgumentException(n + " values do not fill shape " + Arrays.toString(shape));
        }
    }

    @Override
    public String toString() {
        return "NdArray" + Arrays.toString(shape) + " " + dtype;
    }
}
