package dev.orbit.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

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
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

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

    /** Copies a libtorch tensor (any layout) into a new native array of the tensor's own type. */
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

    /**
     * Copies a tensor that evaluation computed for a value of type {@code as}: a widened unsigned type comes back
     * from int64 to its own width (uint16/uint32 keep the low bits, as ONNX's modular arithmetic does; uint64 keeps
     * the 64-bit pattern). Any other type must be the tensor's own.
     */
    public static NdArray fromTorch(Tensor t, DType as) {
        if (!as.isWidened()) return fromTorch(t);
        NdArray wide = fromTorch(t.scalar_type().intern() == ScalarType.Long ? t : t.to(ScalarType.Long));
        if (as == DType.UINT64) return new NdArray(DType.UINT64, wide.shape, wide.data);
        NdArray a = zeros(as, wide.shape);
        long n = wide.size();
        for (long i = 0; i < n; i++) {
            long v = wide.data.getAtIndex(I64, i);
            if (as == DType.UINT16) a.data.setAtIndex(I16, i, (short) v);
            else a.data.setAtIndex(I32, i, (int) v);
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

    /** Any element as a double: integers widened (uint64 as unsigned), half types decoded. */
    public double getAsDouble(long index) {
        return switch (dtype) {
            case FLOAT32 -> data.getAtIndex(F32, index);
            case FLOAT64 -> data.getAtIndex(F64, index);
            case FLOAT16 -> Float.float16ToFloat(data.getAtIndex(I16, index));
            case BFLOAT16 -> Float.intBitsToFloat((data.getAtIndex(I16, index) & 0xffff) << 16);
            case UINT64 -> unsignedToDouble(data.getAtIndex(I64, index));
            default -> getAsLong(index);
        };
    }

    /**
     * Any element as a long: integers exactly (uint64 values ≥ 2⁶³ as their two's-complement bit pattern),
     * floats truncated toward zero.
     */
    public long getAsLong(long index) {
        return switch (dtype) {
            case INT64, UINT64 -> data.getAtIndex(I64, index);
            case INT32 -> data.getAtIndex(I32, index);
            case UINT32 -> data.getAtIndex(I32, index) & 0xffffffffL;
            case INT16 -> data.getAtIndex(I16, index);
            case UINT16 -> data.getAtIndex(I16, index) & 0xffff;
            case INT8, INT4 -> data.get(ValueLayout.JAVA_BYTE, index);
            case UINT8, UINT4, BOOL -> data.get(ValueLayout.JAVA_BYTE, index) & 0xff;
            case FLOAT32, FLOAT64, FLOAT16, BFLOAT16 -> (long) getAsDouble(index);
        };
    }

    /**
     * Stores a double in any element type: floats rounded to nearest (ties to even, float16 and bfloat16
     * correctly rounded from the double), integers truncated toward zero and wrapped to the type's width,
     * bool as v != 0.
     */
    public void setAsDouble(long index, double v) {
        switch (dtype) {
            case FLOAT32 -> data.setAtIndex(F32, index, (float) v);
            case FLOAT64 -> data.setAtIndex(F64, index, v);
            case FLOAT16 -> data.setAtIndex(I16, index, Float.floatToFloat16(HalfRounding.roundToOdd(v)));
            case BFLOAT16 -> data.setAtIndex(I16, index, HalfRounding.toBfloat16(HalfRounding.roundToOdd(v)));
            case BOOL -> data.set(ValueLayout.JAVA_BYTE, index, (byte) (v != 0 ? 1 : 0));
            default -> setAsLong(index, (long) v);
        }
    }

    /** Stores an integer in any element type (wrapped to integer widths, rounded for floats). */
    public void setAsLong(long index, long v) {
        switch (dtype) {
            case INT64, UINT64 -> data.setAtIndex(I64, index, v);
            case INT32, UINT32 -> data.setAtIndex(I32, index, (int) v);
            case INT16, UINT16 -> data.setAtIndex(I16, index, (short) v);
            case INT8, UINT8 -> data.set(ValueLayout.JAVA_BYTE, index, (byte) v);
            case INT4 -> data.set(ValueLayout.JAVA_BYTE, index, (byte) (((v & 0xf) ^ 8) - 8)); // wrapped to 4 bits
            case UINT4 -> data.set(ValueLayout.JAVA_BYTE, index, (byte) (v & 0xf));
            case BOOL -> data.set(ValueLayout.JAVA_BYTE, index, (byte) (v != 0 ? 1 : 0));
            default -> setAsDouble(index, v);
        }
    }

    private static double unsignedToDouble(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
    }

    public void setFloat(long index, float v) { data.setAtIndex(F32, index, v); }

    public void setDouble(long index, double v) { data.setAtIndex(F64, index, v); }

    public void setLong(long index, long v) { data.setAtIndex(I64, index, v); }

    /** The values converted to another element type ({@link #setAsDouble} rounding; integers exact). */
    public NdArray to(DType target) {
        if (target == dtype) return this;
        NdArray out = zeros(target, shape);
        long n = size();
        boolean exactInts = !dtype.isFloating() && !target.isFloating();
        for (long i = 0; i < n; i++) {
            if (exactInts) out.setAsLong(i, getAsLong(i));
            else out.setAsDouble(i, getAsDouble(i));
        }
        return out;
    }

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
     * the tensor is in use, or clone the tensor. Widened unsigned types come as int64: uint16 and uint32 are
     * copied wider; uint64 is viewed as it is and refused when a value is ≥ 2⁶³, which int64 cannot hold.
     */
    public Tensor torchView() {
        if (dtype == DType.UINT16 || dtype == DType.UINT32) return widened().torchView();
        if (dtype == DType.UINT64) checkUint64Fits();
        MemorySegment native_ = data.isNative() ? data : copyToNative();
        TensorOptions options = new TensorOptions(dtype.torchType);
        if (native_.byteSize() == 0) return torch.empty(shape, options, new org.bytedeco.pytorch.MemoryFormatOptional());
        return torch.from_blob(new AddressPointer(native_.address(), native_.byteSize()), shape, options);
    }

    private NdArray widened() {
        NdArray w = zeros(DType.INT64, shape);
        long n = size();
        for (long i = 0; i < n; i++) w.data.setAtIndex(I64, i, getAsLong(i));
        return w;
    }

    private void checkUint64Fits() {
        long n = size();
        for (long i = 0; i < n; i++) {
            long v = data.getAtIndex(I64, i);
            if (v < 0) {
                throw new DType.UnsupportedDTypeException("uint64 value " + Long.toUnsignedString(v) + " at index " + i
                        + " is ≥ 2^63: Orbit evaluates uint64 in libtorch's int64, which cannot hold it");
            }
        }
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
