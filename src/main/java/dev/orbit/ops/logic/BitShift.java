package dev.orbit.ops.logic;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.bitwise_left_shift;
import static org.bytedeco.pytorch.global.torch.bitwise_right_shift;

import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.ModelFormatException;
import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;

/**
 * BitShift of unsigned integers by a broadcast amount, direction "LEFT" or "RIGHT". uint16/32/64 arrive widened
 * to int64 (non-negative there, so libtorch's arithmetic right shift is the logical one); the evaluator wraps
 * left shifts back to the declared width.
 */
public final class BitShift implements Op {
    @Override
    public String opType() { return "BitShift"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType a = ctx.require(node, 0);
        ValueType b = ctx.require(node, 1);
        return OpSupport.one(new ValueType(a.dtype(), OpSupport.broadcast(node, a.shape(), b.shape())));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        Tensor s = ctx.require(node, 1);
        return OpSupport.one(switch (node.attributes().getString("direction", "")) {
            case "LEFT" -> bitwise_left_shift(x, s);
            case "RIGHT" -> bitwise_right_shift(x, s);
            default -> throw new ModelFormatException("BitShift node '" + node.label() + "' needs direction LEFT or RIGHT");
        });
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        rules.freezeInputs(node, label(node) + ": a bit operation on integers does not carry a neuron space");
    }
}
