package dev.orbit.graph;

import java.util.Arrays;
import java.util.List;

import dev.orbit.tensor.NdArray;

/** A node attribute. Kinds Orbit does not interpret (sub-graphs, sparse tensors, types) stay opaque bytes. */
public sealed interface Attr {
    record Int(long value) implements Attr {}

    record Float(float value) implements Attr {}

    record Str(String value) implements Attr {}

    record Ints(long[] values) implements Attr {
        @Override public boolean equals(Object o) { return o instanceof Ints(long[] v) && Arrays.equals(v, values); }
        @Override public int hashCode() { return Arrays.hashCode(values); }
        @Override public String toString() { return Arrays.toString(values); }
    }

    record Floats(float[] values) implements Attr {
        @Override public boolean equals(Object o) { return o instanceof Floats(float[] v) && Arrays.equals(v, values); }
        @Override public int hashCode() { return Arrays.hashCode(values); }
        @Override public String toString() { return Arrays.toString(values); }
    }

    record Strs(List<String> values) implements Attr {}

    record TensorValue(NdArray value) implements Attr {}

    /** The serialized ONNX AttributeProto, kept verbatim so export reproduces it. */
    record Opaque(byte[] attributeProto) implements Attr {}
}
