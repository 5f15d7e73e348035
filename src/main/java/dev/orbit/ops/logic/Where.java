package dev.orbit.ops.logic;

import static org.bytedeco.pytorch.global.torch.where;

import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;
import dev.orbit.ops.arithmetic.ElementwiseWithConstants;

/**
 * Where(condition, X, Y): X where the condition holds, else Y, all three broadcast. Differentiable in X and Y.
 * Symmetry: with a constant condition (the same for every channel, e.g. a causal mask) it is an elementwise op of
 * one neuron space and constants, rewritten τ·where(c, x/τ, y) (ElementwiseWithConstants); a condition computed
 * from the moved values freezes them.
 */
public final class Where implements Op {
    @Override
    public String opType() { return "Where"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType c = ctx.require(node, 0);
        ValueType x = ctx.require(node, 1);
        ValueType y = ctx.require(node, 2);
        var shape = OpSupport.broadcast(node, OpSupport.broadcast(node, c.shape(), x.shape()), y.shape());
        return OpSupport.one(new ValueType(x.dtype(), shape));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        return OpSupport.one(where(ctx.require(node, 0), ctx.require(node, 1), ctx.require(node, 2)));
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        ElementwiseWithConstants.rule(node, rules, 0);
    }
}
