package dev.orbit.ops.logic;

import static dev.orbit.ops.SpaceRules.label;

import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;
import dev.orbit.tensor.DType;

/** A test or negation of one input with a bool result of its shape (Not, IsNaN, IsInf). Symmetry: the input freezes. */
abstract class UnaryLogicOp implements Op {
    private final String opType;

    UnaryLogicOp(String opType) { this.opType = opType; }

    @Override
    public final String opType() { return opType; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        return OpSupport.one(new ValueType(DType.BOOL, ctx.require(node, 0).shape()));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) { return OpSupport.one(apply(node, ctx.require(node, 0))); }

    abstract Tensor apply(Node node, Tensor x);

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        rules.freezeInputs(node, label(node) + ": its boolean result does not carry a neuron space");
    }
}
