package dev.orbit.graph;

import java.util.ArrayList;
import java.util.List;

import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

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

    /** Integer constants up to this many elements are tracked by value. */
    public static final int TRACKED_INT_SIZE = 64;

    public static ValueType unknown(DType dtype) { return new ValueType(dtype, null, null); }

    /** The type of a constant: its shape, and its values when it is a small integer tensor. */
    public static ValueType of(NdArray a) {
        List<Dim> values = null;
        if (!a.dtype().isFloating() && a.size() <= TRACKED_INT_SIZE) {
            values = new ArrayList<>();
            for (long v : a.toLongArray()) values.add(Dim.of(v));
        }
        return new ValueType(a.dtype(), Shape.of(a.shape()), values);
    }

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
