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

/**
 * A comparison or logical connective of two inputs with numpy broadcasting; the result is bool. Symmetry: the
 * inputs freeze, because a boolean result is not a neuron space that a rescaling or a sign change passes
 * through (a comparison with a constant, as in a ReLU written as Where(x > 0), is issue 15's pattern).
 */
abstract class BinaryLogicOp implements Op {
    private final String opType;

    BinaryLogicOp(String opType) { this.opType = opType; }

    @Override
    public final String opType() { return opType; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType a = ctx.require(node, 0);
        ValueType b = ctx.require(node, 1);
        return OpSupport.one(new ValueType(DType.BOOL, OpSupport.broadcast(node, a.shape(), b.shape())));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        return OpSupport.one(apply(ctx.require(node, 0), ctx.require(node, 1)));
    }

    abstract Tensor apply(Tensor a, Tensor b);

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        rules.freezeInputs(node, label(node) + ": its boolean result does not carry a neuron space");
    }
}
