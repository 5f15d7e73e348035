package dev.orbit.ode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Attributes;
import dev.orbit.graph.Dim;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueInfo;
import dev.orbit.graph.ValueType;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/** Collects float64 ONNX nodes and constants for an unrolled ODE: input "x0" [batch, d], output "xT". */
final class GraphWriter {
    static final String INPUT = "x0";
    static final String OUTPUT = "xT";
    static final long OPSET = 17;

    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, NdArray> params = new LinkedHashMap<>();
    private int counter;

    /** A parameter from a (detached) libtorch tensor. */
    String constant(String name, Tensor value) {
        return constant(name, NdArray.fromTorch(value.detach().contiguous()));
    }

    String constant(String name, NdArray value) {
        if (params.containsKey(name)) throw new IllegalStateException("duplicate constant " + name);
        params.put(name, value);
        return name;
    }

    String scalar(String name, double v) { return constant(name, NdArray.ofDoubles(new double[] {v})); }

    /** A node with a fresh output name. */
    String op(String type, Attributes at, String... inputs) {
        return opTo(type + "_" + counter, type, at, inputs);
    }

    String opTo(String output, String type, Attributes at, String... inputs) {
        nodes.add(new Node("n" + (counter++) + "_" + type, type, List.of(inputs), List.of(output), at));
        return output;
    }

    String op(String type, String... inputs) { return op(type, Attributes.NONE, inputs); }

    Model model(String name, int dimension, String doc, Map<String, String> metadata) {
        var type = new ValueType(DType.FLOAT64, Shape.of(Dim.symbol("batch"), Dim.of(dimension)));
        Graph g = new Graph(name, List.of(new ValueInfo(INPUT, type)), List.of(new ValueInfo(OUTPUT, type)), nodes, params, Map.of(), doc);
        var info = Model.ModelInfo.orbit();
        for (var e : metadata.entrySet()) info = info.withMetadata(e.getKey(), e.getValue());
        return new Model(g, Map.of("", OPSET), info);
    }
}
