package dev.orbit.io.safetensors;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import dev.orbit.tensor.NativeSetup;

/**
 * A tensor as stored in a safetensors file: a typed, row-major view over its bytes (usually a slice of the mapped
 * file, never copied by this record). Converters widen to float64/float32 arrays or hand the bytes to libtorch,
 * which has every supported type (Half and BFloat16 included). A view is valid while its file is open.
 */
public record StoredTensor(String name, ElementType type, long[] shape, MemorySegment bytes) {
    static {
        NativeSetup.init();
    }

    public StoredTensor {
        shape = shape.clone();
        long expected = TensorEntry.byteLength(name, type, shape);
        if (bytes.byteSize() != expected) {
            throw new IllegalArgumentException("tensor '" + name + "' " + type + Arrays.toString(shape) + " needs "
                    + expected + " bytes, got " + bytes.byteSize());
        }
    }

    @Override public long[] shape() { return shape.clone(); }

    public long elementCount() { return TensorEntry.elementCount(name, shape); }

    public double get(long index) { return Values.get(type, bytes, index); }

    /** All values widened to float64 (exact for every supported type). */
    public double[] toDoubles() {
        double[] out = new double[arrayLength()];
        for (int i = 0; i < out.length; i++) out[i] = Values.get(type, bytes, i);
        return out;
    }

    /** All values as float32 (exact for F32, F16, BF16 and small integers). */
    public float[] toFloats() {
        float[] out = new float[arrayLength()];
        for (int i = 0; i < out.length; i++) out[i] = (float) Values.get(type, bytes, i);
        return out;
    }

    /**
     * A libtorch tensor over these bytes without copying, of the stored type. Bytes on the Java heap or not aligned
     * to the element size (safetensors does not promise alignment) are first copied to aligned native memory. BOOL
     * is viewed as U8: libtorch's bool must hold 0 or 1, which a file does not promise. The view must not outlive
     * the file: clone it or use {@link #toTorch}.
     */
    public Tensor torchView() {
        ScalarType st = type == ElementType.BOOL ? ScalarType.Byte : type.torchType;
        TensorOptions options = new TensorOptions(st);
        if (bytes.byteSize() == 0) return torch.empty(shape, options, new MemoryFormatOptional());
        MemorySegment seg = bytes;
        if (!seg.isNative() || seg.address() % type.byteSize != 0) {
            seg = Arena.ofAuto().allocate(bytes.byteSize(), 64);
            MemorySegment.copy(bytes, 0, seg, 0, bytes.byteSize());
            final MemorySegment keep = seg;
            return torch.from_blob(new SegmentPointer(keep), shape, options).clone();
        }
        return torch.from_blob(new SegmentPointer(seg), shape, options);
    }

    /** An owned libtorch tensor of type {@code target} (e.g. Double for float64 verification); BOOL becomes 0/1. */
    public Tensor toTorch(ScalarType target) {
        Tensor view = torchView();
        if (type == ElementType.BOOL) view = view.ne(new org.bytedeco.pytorch.Scalar(0));
        // to() returns the view itself when the type already matches: clone so the result owns its memory
        return view.scalar_type().value == target.value ? view.clone() : view.to(target);
    }

    private int arrayLength() {
        long n = elementCount();
        if (n > Integer.MAX_VALUE - 8) throw new IllegalStateException("tensor '" + name + "' has " + n + " elements: too many for one Java array");
        return (int) n;
    }

    @Override public boolean equals(Object o) {
        return o instanceof StoredTensor t && name.equals(t.name) && type == t.type && Arrays.equals(shape, t.shape)
                && bytes.byteSize() == t.bytes.byteSize() && bytes.mismatch(t.bytes) < 0;
    }

    @Override public int hashCode() { return name.hashCode() * 31 + Arrays.hashCode(shape); }

    @Override public String toString() { return name + " " + type + Arrays.toString(shape); }

    /** A JavaCPP pointer onto segment memory; it never frees it. */
    private static final class SegmentPointer extends Pointer {
        SegmentPointer(MemorySegment seg) {
            this.address = seg.address();
            this.limit = seg.byteSize();
            this.capacity = seg.byteSize();
        }
    }
}
