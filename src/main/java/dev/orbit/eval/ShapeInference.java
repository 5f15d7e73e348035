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
        inferNodes(model, g, types, g::parameter, registry);
        return types;
    }

    /** Adds the types of {@code g}'s parameters and node outputs to {@code types} (which holds its inputs). */
    private static void inferNodes(Model model, Graph g, Map<String, ValueType> types,
                                   java.util.function.Function<String, NdArray> constants, OpRegistry registry) {
        for (var e : g.parameters().entrySet()) types.put(e.getKey(), ValueType.of(e.getValue()));
        for (Node node : g.nodes()) {
            List<ValueType> outs = inferNode(model, node, types, constants, registry);
            for (int k = 0; k < node.outputs().size(); k++) {
                String name = node.outputs().get(k);
                if (name.isEmpty()) continue;
                ValueType t = k < outs.size() ? outs.get(k) : null;
                types.put(name, t != null ? t : ValueType.unknown(firstDType(node, types)));
            }
        }
    }

    /** A sub-graph's output types: the enclosing scope's types, the given input types, its own nodes. */
    private static List<ValueType> inferSubgraph(Model model, Graph body, List<ValueType> inputs, Map<String, ValueType> outer,
                                                 java.util.function.Function<String, NdArray> outerConstants, OpRegistry registry) {
        Map<String, ValueType> types = new java.util.HashMap<>(outer);
        for (int k = 0; k < body.inputs().size(); k++) {
            ValueType given = k < inputs.size() ? inputs.get(k) : null;
            types.put(body.inputs().get(k).name(), given != null ? given : body.inputs().get(k).type());
        }
        java.util.function.Function<String, NdArray> constants = n -> {
            NdArray c = body.parameter(n);
            return c != null ? c : body.inputs().stream().anyMatch(v -> v.name().equals(n)) ? null : outerConstants.apply(n);
        };
        inferNodes(model, body, types, constants, registry);
        List<ValueType> outs = new java.util.ArrayList<>();
        for (ValueInfo o : body.outputs()) outs.add(types.getOrDefault(o.name(), o.type()));
        return outs;
    }

    private static List<ValueType> inferNode(Model model, Node node, Map<String, ValueType> types,
                                             java.util.function.Function<String, NdArray> constants, OpRegistry registry) {
        var found = registry.find(node, model.opset());
        if (found.isEmpty()) return List.of();
        InferContext ctx = new InferContext() {
            @Override public ValueType input(int i) {
                String n = node.input(i);
                return n.isEmpty() ? null : types.get(n);
            }
            @Override public int inputCount() { return node.inputs().size(); }
            @Override public NdArray constant(int i) {
                String n = node.input(i);
                return n.isEmpty() ? null : constants.apply(n);
            }
            @Override public long opset() { return model.opset(); }
            @Override public List<ValueType> inferSubgraph(Graph body, List<ValueType> inputs) {
                return ShapeInference.inferSubgraph(model, body, inputs, types, constants, registry);
            }
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
