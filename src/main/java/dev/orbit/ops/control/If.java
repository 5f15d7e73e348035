package dev.orbit.ops.control;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.SpaceRules;

/**
 * If: the outputs of {@code then_branch} when the boolean condition holds, else of {@code else_branch}. The branches
 * take no inputs; they read the enclosing graph's values by name. Only the chosen branch runs.
 */
public final class If implements Op {
    @Override
    public String opType() { return "If"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        List<ValueType> a = ctx.inferSubgraph(node.subgraph("then_branch"), List.of());
        List<ValueType> b = ctx.inferSubgraph(node.subgraph("else_branch"), List.of());
        if (a == null || b == null) return List.of();
        List<ValueType> out = new ArrayList<>();
        for (int k = 0; k < node.outputs().size(); k++) {
            out.add(k < a.size() && k < b.size() ? either(a.get(k), b.get(k)) : null);
        }
        return out;
    }

    /** What both branches agree on: the element type, and each dimension they give alike. */
    private static ValueType either(ValueType a, ValueType b) {
        if (a == null || b == null || a.dtype() != b.dtype()) return null;
        if (a.shape() == null || b.shape() == null || a.shape().rank() != b.shape().rank()) return ValueType.unknown(a.dtype());
        List<Dim> dims = new ArrayList<>();
        for (int i = 0; i < a.shape().rank(); i++) {
            Dim d = a.shape().dim(i);
            dims.add(d.equals(b.shape().dim(i)) ? d : Dim.unknown());
        }
        return new ValueType(a.dtype(), new Shape(dims));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Graph branch = ControlFlow.truth(ctx.require(node, 0)) ? node.subgraph("then_branch") : node.subgraph("else_branch");
        return ctx.runSubgraph(branch, List.of());
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        ControlFlow.freeze(node, rules, "which branch runs depends on the data");
    }
}
