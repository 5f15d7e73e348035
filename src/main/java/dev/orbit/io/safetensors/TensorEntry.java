package dev.orbit.io.safetensors;

import java.util.Arrays;

/**
 * One tensor of a safetensors header: name, element type, shape and its bytes [begin, end) relative to the start
 * of the data section (the byte after the header). Entries are only built by {@link HeaderParser} and
 * {@link Header#layout}, both of which check that {@code end − begin} is exactly the shape's byte length.
 */
public record TensorEntry(String name, ElementType type, long[] shape, long begin, long end) {
    public TensorEntry {
        shape = shape.clone();
    }

    @Override public long[] shape() { return shape.clone(); }

    public int rank() { return shape.length; }

    public long dim(int axis) { return shape[axis]; }

    public long byteLength() { return end - begin; }

    public long elementCount() { return elementCount(name, shape); }

    public TensorSpec spec() { return new TensorSpec(name, type, shape); }

    /** The element count of {@code shape}; refuses negative dimensions and products beyond a {@code long}. */
    static long elementCount(String name, long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) throw new SafetensorsFormatException("tensor '" + name + "' has a negative dimension in shape " + Arrays.toString(shape));
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new SafetensorsFormatException("the element count of tensor '" + name + "' shape " + Arrays.toString(shape) + " overflows a 64-bit integer");
            }
        }
        return n;
    }

    static long byteLength(String name, ElementType type, long[] shape) {
        long n = elementCount(name, shape);
        try {
            return Math.multiplyExact(n, (long) type.byteSize);
        } catch (ArithmeticException e) {
            throw new SafetensorsFormatException("the byte length of tensor '" + name + "' (" + type + " " + Arrays.toString(shape) + ") overflows a 64-bit integer");
        }
    }

    @Override public boolean equals(Object o) {
        return o instanceof TensorEntry t && name.equals(t.name) && type == t.type && Arrays.equals(shape, t.shape)
                && begin == t.begin && end == t.end;
    }

    @Override public int hashCode() { return name.hashCode() * 31 + Long.hashCode(begin); }

    @Override public String toString() { return name + " " + type + Arrays.toString(shape) + " @[" + begin + ", " + end + ")"; }
}
