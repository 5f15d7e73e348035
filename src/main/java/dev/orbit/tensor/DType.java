package dev.orbit.tensor;

import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Element types Orbit stores: every ONNX numeric type but complex and the 8/4-bit floats. An array
 * keeps its values at the type's own width (so import and export are bit-exact), except int4/uint4, which a file
 * packs two to a byte and memory holds one to a byte ({@link #isPacked4}, {@link #fileBytes}); evaluation runs each type in
 * {@link #torchType}, which is the type itself where libtorch computes it, and int64 for the unsigned types
 * libtorch lacks (uint16, uint32, uint64: see {@link #isWidened()} and docs/DTYPES.md).
 */
public enum DType {
    FLOAT32(1, 4, ScalarType.Float),
    UINT8(2, 1, ScalarType.Byte),
    INT8(3, 1, ScalarType.Char),
    UINT16(4, 2, ScalarType.Long),
    INT16(5, 2, ScalarType.Short),
    INT32(6, 4, ScalarType.Int),
    INT64(7, 8, ScalarType.Long),
    BOOL(9, 1, ScalarType.Bool),
    FLOAT16(10, 2, ScalarType.Half),
    FLOAT64(11, 8, ScalarType.Double),
    UINT32(12, 4, ScalarType.Long),
    UINT64(13, 8, ScalarType.Long),
    BFLOAT16(16, 2, ScalarType.BFloat16),
    /** 4-bit integers: packed two to a byte in files (low nibble first), one per byte in memory (sign-extended). */
    UINT4(21, 1, ScalarType.Byte),
    INT4(22, 1, ScalarType.Char);

    /** The ONNX TensorProto.DataType code. */
    public final int onnxCode;
    public final int byteSize;
    /** The libtorch type evaluation computes in (int64 for the widened unsigned types). */
    public final ScalarType torchType;

    DType(int onnxCode, int byteSize, ScalarType torchType) {
        this.onnxCode = onnxCode;
        this.byteSize = byteSize;
        this.torchType = torchType;
    }

    public boolean isFloating() {
        return this == FLOAT32 || this == FLOAT64 || this == FLOAT16 || this == BFLOAT16;
    }

    /** float16 and bfloat16: stored at 16 bits, computed per op in float32 (docs/DTYPES.md). */
    public boolean isHalf() {
        return this == FLOAT16 || this == BFLOAT16;
    }

    /** The unsigned types libtorch has no arithmetic for: evaluated in int64, narrowed again on the way out. */
    public boolean isWidened() {
        return this == UINT16 || this == UINT32 || this == UINT64;
    }

    public boolean isUnsigned() {
        return this == UINT8 || this == UINT4 || isWidened();
    }

    /** int4 and uint4: two values per byte in an ONNX file, low nibble first. */
    public boolean isPacked4() {
        return this == INT4 || this == UINT4;
    }

    /** How many bytes {@code count} values take in an ONNX file (raw_data or external data). */
    public long fileBytes(long count) {
        return isPacked4() ? (count + 1) / 2 : Math.multiplyExact(count, (long) byteSize);
    }

    /** The ONNX name ("float32", "uint16", "bfloat16", ...). */
    public String onnxName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static DType fromOnnx(int code) {
        for (DType t : values()) if (t.onnxCode == code) return t;
        throw new UnsupportedDTypeException("ONNX element type " + code + " (" + onnxName(code) + ") is not supported"
                + " (Orbit reads float16/32/64, bfloat16, int4/8/16/32/64, uint4/8/16/32/64 and bool)");
    }

    private static String onnxName(int code) {
        return switch (code) {
            case 8 -> "string";
            case 14 -> "complex64";
            case 15 -> "complex128";
            case 17, 18, 19, 20 -> "float8";
            case 21 -> "uint4";
            case 22 -> "int4";
            case 23 -> "float4";
            default -> "unknown";
        };
    }

    /**
     * The Orbit type of a libtorch tensor. int64 maps to {@link #INT64}: a widened unsigned value is narrowed by
     * {@link NdArray#fromTorch(org.bytedeco.pytorch.Tensor, DType)}, which knows the type it stands for.
     * JavaCPP hands back non-canonical enum instances (null name, identity differs): compare the native
     * value. Anywhere else, call {@code intern()} on a returned ScalarType before comparing or switching.
     */
    public static DType fromTorch(ScalarType st) {
        for (DType t : values()) if (!t.isWidened() && t.torchType.value == st.value) return t;
        throw new UnsupportedDTypeException("libtorch scalar type " + st.intern() + " has no Orbit equivalent");
    }

    /** Thrown for element types Orbit cannot hold. */
    public static final class UnsupportedDTypeException extends IllegalArgumentException {
        public UnsupportedDTypeException(String message) { super(message); }
    }
}
