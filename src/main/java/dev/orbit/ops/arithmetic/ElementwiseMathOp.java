package dev.orbit.ops.arithmetic;

import static dev.orbit.ops.SpaceRules.label;

import java.util.List;
import java.util.function.UnaryOperator;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;

/**
 * An elementwise function of one input kept out of the activation vocabulary (rounding, sign, the trigonometric
 * and hyperbolic functions besides Sin, Cos and Tanh): same shape and type. Symmetry: the input freezes, with
 * the reason each op states.
 */
public class ElementwiseMathOp implements Op {
    private final String opType;
    private final UnaryOperator<Tensor> f;
    private final String freezeReason;

    ElementwiseMathOp(String opType, UnaryOperator<Tensor> f, String freezeReason) {
        this.opType = opType;
        this.f = f;
        this.freezeReason = freezeReason;
    }

    @Override
    public final String opType() { return opType; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        return OpSupport.one(new ValueType(x.dtype(), x.shape()));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) { return OpSupport.one(f.apply(ctx.require(node, 0))); }

    @Override
    public void spaceRule(Node node, SpaceRules rules) { rules.freezeInputs(node, label(node) + ": " + freezeReason); }
}
