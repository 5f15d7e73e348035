package dev.orbit.ops.loss;

import static org.bytedeco.pytorch.global.torch.log_softmax;

import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.SpaceRules;

/**
 * SoftmaxCrossEntropyLoss (scores [N, C, d…], labels [N, d…], optional weights [C]): the negative log-likelihood of
 * log_softmax(scores) over axis 1; the optional second output is that log-probability tensor.
 */
public final class SoftmaxCrossEntropyLoss implements Op {
    @Override
    public String opType() { return "SoftmaxCrossEntropyLoss"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        return List.of(ClassLoss.type(node, x, ctx.input(1)), x);
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor logProb = log_softmax(ctx.require(node, 0), 1);
        return List.of(ClassLoss.negativeLogLikelihood(node, logProb, ctx.require(node, 1), ctx.input(2)), logProb);
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) { ClassLoss.freeze(node, rules); }
}
