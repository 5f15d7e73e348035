package dev.orbit.ops.length;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.orbit.graph.Attr;
import dev.orbit.graph.Attributes;
import dev.orbit.graph.Node;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/**
 * Collects the standard ONNX nodes and constants that replace one custom node at export: unique value names under
 * the node's name, scalar and tensor constants in the requested float type.
 */
public final class OnnxSubgraph {
    private final String prefix;
    private final DType dtype;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, NdArray> params = new LinkedHashMap<>();
    private int counter;

    OnnxSubgraph(String prefix, DType dtype) {
        this.prefix = prefix;
        this.dtype = dtype;
    }

    /** The standard nodes that replace the custom one, and the constants they read. */
    public record Expansion(List<Node> nodes, Map<String, NdArray> parameters) {}

    Expansion build() { return new Expansion(List.copyOf(nodes), new LinkedHashMap<>(params)); }

    DType dtype() { return dtype; }

    /** A rank-0 float constant. */
    String scalar(String name, double v) {
        return constant(name, new double[] {v}, new long[0]);
    }

    /** A float constant of the given shape (values given in float64, stored in the subgraph's type). */
    String constant(String name, double[] values, long[] shape) {
        String n = fresh(name);
        params.put(n, dtype == DType.FLOAT64 ? NdArray.ofDoubles(values, shape) : NdArray.ofFloats(toFloats(values), shape));
        return n;
    }

    String longs(String name, long... values) {
        String n = fresh(name);
        params.put(n, NdArray.ofLongs(values, values.length));
        return n;
    }

    /** prefix.name, or prefix.name_2, … when taken. */
    private String fresh(String name) {
        String n = prefix + "." + name;
        for (int i = 2; params.containsKey(n); i++) n = prefix + "." + name + "_" + i;
        return n;
    }

    String op(String opType, String... inputs) { return op(opType, Attributes.NONE, inputs); }

    String op(String opType, Attributes at, String... inputs) {
        String out = prefix + "." + opType.toLowerCase() + counter++;
        nodes.add(new Node(out, opType, List.of(inputs), List.of(out), at));
        return out;
    }

    /** Like {@link #op} but writes the given output name (the custom node's output). */
    void opTo(String output, String opType, Attributes at, String... inputs) {
        nodes.add(new Node(prefix + "." + opType.toLowerCase() + counter++, opType, List.of(inputs), List.of(output), at));
    }

    static Attributes ints(String name, long... v) { return Attributes.NONE.with(name, new Attr.Ints(v)); }

    private static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }
}
