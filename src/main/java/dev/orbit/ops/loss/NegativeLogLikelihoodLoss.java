package dev.orbit.ops.loss;

import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;

/** NegativeLogLikelihoodLoss (input [N, C, d…] of log-probabilities, target [N, d…], optional weight [C]). */
public final class NegativeLogLikelihoodLoss implements Op {
    @Override
    public String opType() { return "NegativeLogLikelihoodLoss"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        return OpSupport.one(ClassLoss.type(node, ctx.require(node, 0), ctx.input(1)));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        return OpSupport.one(ClassLoss.negativeLogLikelihood(node, ctx.require(node, 0), ctx.require(node, 1), ctx.input(2)));
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) { ClassLoss.freeze(node, rules); }
}
