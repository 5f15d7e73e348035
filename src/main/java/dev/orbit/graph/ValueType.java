package dev.orbit.graph;

import java.util.List;

import dev.orbit.tensor.DType;

/**
 * What shape inference knows about a value: element type, shape (null when even the rank is unknown) and,
 * for small integer tensors that carry shapes (the Shape → Gather → Concat → Reshape chains exporters
 * write), their element values as dimensions, so a symbolic batch survives a reshape.
 */
public record ValueType(DType dtype, Shape shape, List<Dim> intValues) {
    public ValueType {
        intValues = intValues == null ? null : List.copyOf(intValues);
    }

    public ValueType(DType dtype, Shape shape) { this(dtype, shape, null); }

    public static ValueType unknown(DType dtype) { return new ValueType(dtype, null, null); }

    public boolean hasShape() { return shape != null; }

    public boolean hasIntValues() { return intValues != null; }

    public int rank() {
        if (shape == null) throw new ShapeException("rank of a value is unknown");
        return shape.rank();
    }

    @Override
    public String toString() {
        return dtype.name().toLowerCase() + (shape == null ? "[?]" : shape.toString());
    }
}
