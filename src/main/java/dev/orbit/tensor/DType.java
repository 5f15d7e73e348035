package dev.orbit.tensor;

import org.bytedeco.pytorch.global.torch.ScalarType;

/** Element types Orbit stores. Floats carry weights and activations; integers carry shapes and indices. */
public enum DType {
    FLOAT32(1, 4, ScalarType.Float),
    UINT8(2, 1, ScalarType.Byte),
    INT8(3, 1, ScalarType.Char),
    INT32(6, 4, ScalarType.Int),
    INT64(7, 8, ScalarType.Long),
    BOOL(9, 1, ScalarType.Bool),
    FLOAT64(11, 8, ScalarType.Double);

    /** The ONNX TensorProto.DataType code. */
    public final int onnxCode;
    public final int byteSize;
    public final ScalarType torchType;

    DType(int onnxCode, int byteSize, ScalarType torchType) {
        this.onnxCode = onnxCode;
        this.byteSize = byteSize;
        this.torchType = torchType;
    }

    public boolean isFloating() {
        return this == FLOAT32 || this == FLOAT64;
    }

    public static DType fromOnnx(int code) {
        for (DType t : values()) if (t.onnxCode == code) return t;
        throw new UnsupportedDTypeException("ONNX element type " + code + " is not supported (Orbit reads float32, float64, int64, int32, int8, uint8, bool)");
    }

    /**
     * JavaCPP hands back non-canonical enum instances (null name, identity differs): compare the native
     * value. Anywhere else, call {@code intern()} on a returned ScalarType before comparing or switching.
     */
    public static DType fromTorch(ScalarType st) {
        for (DType t : values()) if (t.torchType.value == st.value) return t;
        throw new UnsupportedDTypeException("libtorch scalar type " + st + " has no Orbit equivalent");
    }

    /** Thrown for element types Orbit cannot hold. */
    public static final class UnsupportedDTypeException extends IllegalArgumentException {
        public UnsupportedDTypeException(String message) { super(message); }
    }
}
