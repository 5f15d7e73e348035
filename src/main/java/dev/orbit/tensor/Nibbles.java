package dev.orbit.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * int4/uint4 packing as ONNX stores it: two values per byte, element 2i in the low nibble and 2i+1 in the high
 * nibble; an odd count leaves the last high nibble zero. In memory Orbit keeps one value per byte (int4
 * sign-extended), so every other part of Orbit indexes them like int8/uint8.
 */
public final class Nibbles {
    private Nibbles() {}

    /** The packed file bytes of a 4-bit array. */
    public static byte[] pack(NdArray a) {
        if (!a.dtype().isPacked4()) throw new IllegalArgumentException("not a 4-bit array: " + a.dtype());
        long n = a.size();
        byte[] out = new byte[Math.toIntExact(a.dtype().fileBytes(n))];
        MemorySegment s = a.segment();
        for (long i = 0; i < n; i++) {
            int v = s.get(ValueLayout.JAVA_BYTE, i) & 0xf;
            out[(int) (i / 2)] |= (byte) (i % 2 == 0 ? v : v << 4);
        }
        return out;
    }

    /** A 4-bit array from packed bytes ({@code packed} starting at {@code offset}, at least fileBytes(count) long). */
    public static NdArray unpack(DType dtype, long[] shape, MemorySegment packed) {
        if (!dtype.isPacked4()) throw new IllegalArgumentException("not a 4-bit type: " + dtype);
        NdArray a = NdArray.zeros(dtype, shape);
        long n = a.size();
        for (long i = 0; i < n; i++) {
            int b = packed.get(ValueLayout.JAVA_BYTE, i / 2);
            int v = (i % 2 == 0 ? b : b >> 4) & 0xf;
            if (dtype == DType.INT4 && v >= 8) v -= 16;
            a.segment().set(ValueLayout.JAVA_BYTE, i, (byte) v);
        }
        return a;
    }
}
