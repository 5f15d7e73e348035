package dev.orbit.ops;

import java.util.List;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Node;
import dev.orbit.graph.ShapeException;
import dev.orbit.graph.ValueType;
import dev.orbit.tensor.NdArray;

/** What shape inference offers one node: its inputs' types, constant inputs and the opset. */
public interface InferContext {
    /** The i-th input's type, or null when the optional input is absent. */
    ValueType input(int i);

    int inputCount();

    /** The i-th input's value when it is a parameter (a constant), else null. */
    NdArray constant(int i);

    long opset();

    /**
     * The output types of a sub-graph of this node run on inputs of the given types (null: the sub-graph's declared
     * type), in the enclosing graph's scope; null when this inference does not look into sub-graphs.
     */
    default List<ValueType> inferSubgraph(dev.orbit.graph.Graph body, List<ValueType> inputs) { return null; }

    /** The i-th input's integer values as dimensions (constants or tracked shape arithmetic), else null. */
    default List<Dim> intValues(int i) {
        NdArray c = constant(i);
        if (c != null && !c.dtype().isFloating()) {
            long[] v = c.toLongArray();
            List<Dim> dims = new java.util.ArrayList<>(v.length);
            for (long x : v) dims.add(Dim.of(x));
            return dims;
        }
        ValueType t = input(i);
        return t == null ? null : t.intValues();
    }

    /** The i-th input's type; fails with a message naming the node if it is absent or has no known shape. */
    default ValueType require(Node node, int i) {
        ValueType t = input(i);
        if (t == null) throw new ShapeException(node.opType() + " node '" + node.label() + "' needs input " + i);
        if (t.shape() == null) throw new UnknownShapeSignal();
        return t;
    }

    /** Thrown by {@link #require} to say "the rank is unknown, so the outputs are unknown too". */
    final class UnknownShapeSignal extends RuntimeException {
        public UnknownShapeSignal() { super(null, null, false, false); }
    }
}
