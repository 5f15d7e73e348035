package dev.orbit.io.safetensors;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Little-endian element codecs for every supported type. Narrowing follows libtorch's casts, so a tensor Orbit
 * writes has the bits {@code torch.tensor(values, dtype=float64).to(type)} would have: float64 → float32 rounds to
 * nearest even; F16 and BF16 round through float32 (double → float → half), as c10's Half and BFloat16 do.
 */
public final class Values {
    public static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Values() {}

    /** Element {@code i} of {@code bytes} read as {@code type}, widened to a double (BOOL: any non-zero byte is 1). */
    public static double get(ElementType type, MemorySegment bytes, long i) {
        return switch (type) {
            case F64 -> bytes.getAtIndex(F64, i);
            case F32 -> bytes.getAtIndex(F32, i);
            case F16 -> Float.float16ToFloat(bytes.getAtIndex(I16, i));
            case BF16 -> bf16ToFloat(bytes.getAtIndex(I16, i));
            case I64 -> bytes.getAtIndex(I64, i);
            case I32 -> bytes.getAtIndex(I32, i);
            case I16 -> bytes.getAtIndex(I16, i);
            case I8 -> bytes.get(ValueLayout.JAVA_BYTE, i);
            case U8 -> Byte.toUnsignedInt(bytes.get(ValueLayout.JAVA_BYTE, i));
            case BOOL -> bytes.get(ValueLayout.JAVA_BYTE, i) != 0 ? 1 : 0;
        };
    }

    /** Stores {@code v} at element {@code i}, rounded to {@code type} (floating types only). */
    public static void set(ElementType type, MemorySegment bytes, long i, double v) {
        switch (type) {
            case F64 -> bytes.setAtIndex(F64, i, v);
            case F32 -> bytes.setAtIndex(F32, i, (float) v);
            case F16 -> bytes.setAtIndex(I16, i, Float.floatToFloat16((float) v));
            case BF16 -> bytes.setAtIndex(I16, i, floatToBf16((float) v));
            default -> throw new IllegalArgumentException("Orbit writes computed values only as floating types, not " + type);
        }
    }

    /** {@code values} encoded as {@code type} in a fresh heap segment. */
    public static MemorySegment encode(ElementType type, double[] values) {
        MemorySegment out = MemorySegment.ofArray(new byte[Math.multiplyExact(values.length, type.byteSize)]);
        for (int i = 0; i < values.length; i++) set(type, out, i, values[i]);
        return out;
    }

    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** Round to nearest even, as c10::BFloat16 does; NaN stays a (quiet) NaN. */
    public static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) return (short) ((bits >>> 16) | 0x40);
        int rounded = bits + 0x7fff + ((bits >>> 16) & 1);
        return (short) (rounded >>> 16);
    }
}
