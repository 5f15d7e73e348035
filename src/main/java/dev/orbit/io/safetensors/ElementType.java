package dev.orbit.io.safetensors;

import java.util.Set;

import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The element types Orbit reads and writes in safetensors files, with their names in the header. {@link #order}
 * is the rank of the type in the reference implementation's dtype enum (huggingface/safetensors {@code Dtype}, in
 * increasing alignment): its writer lays tensors out by descending rank, then by name, and so does Orbit's.
 */
public enum ElementType {
    BOOL(1, 0, ScalarType.Bool),
    U8(1, 1, ScalarType.Byte),
    I8(1, 2, ScalarType.Char),
    I16(2, 5, ScalarType.Short),
    F16(2, 7, ScalarType.Half),
    BF16(2, 8, ScalarType.BFloat16),
    I32(4, 9, ScalarType.Int),
    F32(4, 11, ScalarType.Float),
    F64(8, 12, ScalarType.Double),
    I64(8, 13, ScalarType.Long);

    /** Types the format defines that Orbit refuses (no arithmetic for them here, and no move would keep them exact). */
    static final Set<String> KNOWN_UNSUPPORTED = Set.of("U16", "U32", "U64", "F8_E5M2", "F8_E4M3", "F8_E8M0",
            "F8_E4M3FNUZ", "F8_E5M2FNUZ", "F4", "F6_E2M3", "F6_E3M2", "C64", "PackedI4", "PackedU4");

    public final int byteSize;
    final int order;
    public final ScalarType torchType;

    ElementType(int byteSize, int order, ScalarType torchType) {
        this.byteSize = byteSize;
        this.order = order;
        this.torchType = torchType;
    }

    public boolean isFloating() {
        return this == F16 || this == BF16 || this == F32 || this == F64;
    }

    /** The type named {@code name} in a header; {@code null} when the name is unknown or refused (the caller says which). */
    static ElementType byName(String name) {
        for (ElementType t : values()) if (t.name().equals(name)) return t;
        return null;
    }
}
