package dev.orbit.graph;

import java.util.Arrays;
import java.util.List;

import dev.orbit.tensor.NdArray;

/**
 * A node attribute. A sub-graph (If's branches, Loop's and Scan's bodies) is read into the IR and also kept as
 * its bytes; kinds Orbit does not interpret (sparse tensors, types, lists of graphs) stay opaque bytes.
 */
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

    /**
     * A sub-graph: its IR form, which the evaluator runs, and the serialized AttributeProto it was read from, which
     * export writes back verbatim (moves never rewrite inside a sub-graph: control flow freezes what it reads).
     */
    record Subgraph(Graph graph, byte[] attributeProto) implements Attr {
        @Override public boolean equals(Object o) { return o instanceof Subgraph(Graph g, byte[] b) && Arrays.equals(b, attributeProto); }
        @Override public int hashCode() { return Arrays.hashCode(attributeProto); }
        @Override public String toString() { return "graph " + graph.name() + " (" + graph.nodes().size() + " nodes)"; }
    }

    /** The serialized ONNX AttributeProto, kept verbatim so export reproduces it. */
    record Opaque(byte[] attributeProto) implements Attr {}
}
