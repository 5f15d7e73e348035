package dev.orbit.ops.activation;

import static dev.orbit.ops.SpaceRules.label;

import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Attributes;
import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;

/**
 * An elementwise activation Orbit evaluates but has not yet added to the activation vocabulary (no φ in float64,
 * no kernel rule): Celu, Shrink, ThresholdedRelu. Symmetry: the input freezes until its region rule is written.
 */
abstract class FrozenActivationOp implements Op {
    private final String opType;

    FrozenActivationOp(String opType) { this.opType = opType; }

    @Override
    public final String opType() { return opType; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        return OpSupport.one(new ValueType(x.dtype(), x.shape()));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) { return OpSupport.one(apply(ctx.require(node, 0), node.attributes())); }

    abstract Tensor apply(Tensor x, Attributes at);

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        rules.freezeInputs(node, label(node) + ": not in the activation vocabulary yet (no region rule)");
    }
}
