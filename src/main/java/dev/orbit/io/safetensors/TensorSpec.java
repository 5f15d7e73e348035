package dev.orbit.io.safetensors;

import java.util.Arrays;

/** A tensor to be laid out in a new file: its name, element type and shape. */
public record TensorSpec(String name, ElementType type, long[] shape) {
    public TensorSpec {
        shape = shape.clone();
        TensorEntry.byteLength(name, type, shape); // refuses negative and overflowing shapes
    }

    @Override public long[] shape() { return shape.clone(); }

    @Override public boolean equals(Object o) {
        return o instanceof TensorSpec t && name.equals(t.name) && type == t.type && Arrays.equals(shape, t.shape);
    }

    @Override public int hashCode() { return name.hashCode() * 31 + Arrays.hashCode(shape); }

    @Override public String toString() { return name + " " + type + Arrays.toString(shape); }
}
