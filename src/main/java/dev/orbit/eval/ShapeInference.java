package dev.orbit.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ShapeException;
import dev.orbit.graph.ValueInfo;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.OpRegistry;
import dev.orbit.ops.standard.StandardOps;
import dev.orbit.tensor.NdArray;

/**
 * Static shape inference over the IR. Dimensions stay symbolic where the file left them symbolic (the
 * batch), and small integer tensors carry their values so Shape/Gather/Concat/Reshape chains keep the
 * symbol. Ops Orbit does not know give outputs of unknown shape rather than an error.
 */
public final class ShapeInference {
    private ShapeInference() {}

    /** Every value's type, with Orbit's standard ops. */
    public static Map<String, ValueType> infer(Model model) { return infer(model, Map.of()); }

    /** Infers every value's type; {@code inputShapes} overrides declared input shapes (e.g. a concrete batch). */
    public static Map<String, ValueType> infer(Model model, Map<String, Shape> inputShapes) {
        return infer(model, inputShapes, StandardOps.registry());
    }

    public static Map<String, ValueType> infer(Model model, OpRegistry registry) { return infer(model, Map.of(), registry); }

    /** Like {@link #infer(Model, Map)} with the ops of {@code registry}. */
    public static Map<String, ValueType> infer(Model model, Map<String, Shape> inputShapes, OpRegistry registry) {
        Graph g = model.graph();
        Map<String, ValueType> types = new LinkedHashMap<>();
        for (ValueInfo in : g.inputs()) {
            Shape s = inputShapes.getOrDefault(in.name(), in.type().shape());
            types.put(in.name(), new ValueType(in.type().dtype(), s));
        }
        for (var e : g.parameters().entrySet()) types.put(e.getKey(), ValueType.of(e.getValue()));
        for (Node node : g.nodes()) {
            List<ValueType> outs = inferNode(model, node, types, registry);
            for (int k = 0; k < node.outputs().size(); k++) {
                String name = node.outputs().get(k);
                if (name.isEmpty()) continue;
                ValueType t = k < outs.size() ? outs.get(k) : null;
                types.put(name, t != null ? t : ValueType.unknown(firstDType(node, types)));
            }
        }
        return types;
    }

    private static List<ValueType> inferNode(Model model, Node node, Map<String, ValueType> types, OpRegistry registry) {
        var found = registry.find(node, model.opset());
        if (found.isEmpty()) return List.of();
        Graph g = model.graph();
        InferContext ctx = new InferContext() {
            @Override public ValueType input(int i) {
                String n = node.input(i);
                return n.isEmpty() ? null : types.get(n);
            }
            @Override public int inputCount() { return node.inputs().size(); }
            @Override public NdArray constant(int i) {
                String n = node.input(i);
                return n.isEmpty() ? null : g.parameter(n);
            }
            @Override public long opset() { return model.opset(); }
        };
        try {
            return found.get().infer(node, ctx);
        } catch (InferContext.UnknownShapeSignal unknown) {
            return List.of();
        } catch (ShapeException e) {
            throw e.getMessage().contains(node.label()) ? e
                    : new ShapeException(node.opType() + " node '" + node.label() + "': " + e.getMessage());
        }
    }

    private static dev.orbit.tensor.DType firstDType(Node node, Map<String, ValueType> types) {
        for (String in : node.inputs()) {
            ValueType t = types.get(in);
            if (t != null) return t.dtype();
        }
        return dev.orbit.tensor.DType.FLOAT32;
    }
}
