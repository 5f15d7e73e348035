package dev.orbit.hyperbolic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.ValueInfo;
import dev.orbit.graph.ValueType;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/** Converts a model's floating parameters, inputs and outputs to float32 or float64 (integers untouched). */
public final class Precision {
    private Precision() {}

    public static Model convert(Model model, DType to) {
        if (!to.isFloating()) throw new IllegalArgumentException("convert to float32 or float64, not " + to);
        Graph g = model.graph();
        Map<String, NdArray> params = new LinkedHashMap<>();
        for (var e : g.parameters().entrySet()) params.put(e.getKey(), convert(e.getValue(), to));
        Graph converted = new Graph(g.name(), retype(g.inputs(), to), retype(g.outputs(), to), g.nodes(), params, Map.of(), g.docString());
        return model.withGraph(converted);
    }

    public static NdArray convert(NdArray a, DType to) {
        if (!a.dtype().isFloating() || a.dtype() == to) return a;
        return to == DType.FLOAT64 ? NdArray.ofDoubles(a.toDoubleArray(), a.shape()) : NdArray.ofFloats(a.toFloatArray(), a.shape());
    }

    private static List<ValueInfo> retype(List<ValueInfo> values, DType to) {
        List<ValueInfo> out = new ArrayList<>();
        for (ValueInfo v : values) {
            ValueType t = v.type();
            out.add(t.dtype().isFloating() ? new ValueInfo(v.name(), new ValueType(to, t.shape()), v.docString()) : v);
        }
        return out;
    }
}
