package dev.orbit.conformance;

/** ONNX TensorProto element types by code, with the names the expectation file and the tables use. */
final class ElementType {
    private static final String[] NAMES = {"undefined", "float32", "uint8", "int8", "uint16", "int16", "int32", "int64",
        "string", "bool", "float16", "float64", "uint32", "uint64", "complex64", "complex128", "bfloat16",
        "float8e4m3fn", "float8e4m3fnuz", "float8e5m2", "float8e5m2fnuz", "uint4", "int4"};

    static final int FLOAT = 1, UINT8 = 2, INT8 = 3, UINT16 = 4, INT16 = 5, INT32 = 6, INT64 = 7, STRING = 8,
            BOOL = 9, FLOAT16 = 10, DOUBLE = 11, UINT32 = 12, UINT64 = 13, BFLOAT16 = 16;

    private ElementType() {}

    static String name(int code) {
        return code >= 0 && code < NAMES.length ? NAMES[code] : "type " + code;
    }

    static boolean isFloating(int code) {
        return code == FLOAT || code == DOUBLE || code == FLOAT16 || code == BFLOAT16;
    }
}
