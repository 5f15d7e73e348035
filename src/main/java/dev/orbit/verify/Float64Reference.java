package dev.orbit.verify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.orbit.eval.Evaluator;
import dev.orbit.graph.Attr;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.graph.ValueInfo;
import dev.orbit.graph.ValueType;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/**
 * A model evaluated in float64 by Orbit's evaluator: the reference float32's own noise is measured against (ONNX
 * Runtime has no float64 Conv). Every float32, float16 and bfloat16 parameter, input and declared value becomes
 * float64 (the stored values exactly), casts to a float type cast to float64 and float constants made by
 * ConstantOfShape are float64, so no step rounds to a shorter type.
 */
public final class Float64Reference {
    private Float64Reference() {}

    /** The outputs of {@code model} in float64 on {@code feeds} (float feeds widened exactly). */
    public static Map<String, NdArray> run(Model model, Map<String, NdArray> feeds) {
        Map<String, NdArray> wide = new LinkedHashMap<>();
        feeds.forEach((k, v) -> wide.put(k, widen(v)));
        return new Evaluator(widen(model)).run(wide);
    }

    /** The same model with every float type float64. */
    public static Model widen(Model model) {
        Graph g = model.graph();
        Map<String, NdArray> params = new LinkedHashMap<>();
        g.parameters().forEach((k, v) -> params.put(k, widen(v)));
        List<Node> nodes = new ArrayList<>();
        for (Node n : g.nodes()) nodes.add(widen(n));
        Map<String, ValueInfo> info = new LinkedHashMap<>();
        g.valueInfo().forEach((k, v) -> info.put(k, widen(v)));
        return model.withGraph(new Graph(g.name(), g.inputs().stream().map(Float64Reference::widen).toList(),
                g.outputs().stream().map(Float64Reference::widen).toList(), nodes, params, info, g.docString()));
    }

    private static boolean narrowFloat(DType d) { return d != null && d.isFloating() && d != DType.FLOAT64; }

    private static NdArray widen(NdArray a) { return narrowFloat(a.dtype()) ? a.to(DType.FLOAT64) : a; }

    private static ValueInfo widen(ValueInfo v) {
        ValueType t = v.type();
        if (t == null || !narrowFloat(t.dtype())) return v;
        return new ValueInfo(v.name(), new ValueType(DType.FLOAT64, t.shape(), t.intValues()), v.docString());
    }

    private static Node widen(Node n) {
        var at = n.attributes();
        switch (n.opType()) {
            case "Cast" -> {
                long to = at.getInt("to", 0);
                if (to == DType.FLOAT32.onnxCode || to == DType.FLOAT16.onnxCode || to == DType.BFLOAT16.onnxCode) {
                    return n.withAttributes(at.with("to", new Attr.Int(DType.FLOAT64.onnxCode)));
                }
            }
            case "ConstantOfShape" -> {
                if (at.has("value") && narrowFloat(at.getTensor("value").dtype())) {
                    return n.withAttributes(at.with("value", new Attr.TensorValue(widen(at.getTensor("value")))));
                }
            }
            default -> { }
        }
        return n;
    }
}
