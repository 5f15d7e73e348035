package dev.orbit.ops.norm;

import static dev.orbit.ops.SpaceRules.label;

import static org.bytedeco.pytorch.global.torch.instance_norm;

import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;

import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.SpaceRules;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;

/**
 * InstanceNormalization (epsilon 1e-5 by default). It normalises across positions per channel: the space before it
 * admits permutations only (ε is fixed), scale and bias start a new space sharing that permutation.
 */
public final class InstanceNormalization implements Op {
    @Override
    public String opType() { return "InstanceNormalization"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        int rank = x.rank();
        if (rank < 3) throw OpSupport.shapeError(node, "input X must be N×C×D1…, got " + x.shape());
        for (int i = 1; i <= 2; i++) ChannelParameters.check(node, ctx, i, x.shape().dim(1));
        return OpSupport.one(new ValueType(x.dtype(), x.shape()));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        double eps = node.attributes().getFloat("epsilon", 1e-5f);
        return OpSupport.one(instance_norm(x, new TensorOptional(ctx.require(node, 1)), new TensorOptional(ctx.require(node, 2)),
                new TensorOptional(), new TensorOptional(), true, 0.0, eps, false));
    }

    @Override
    public void spaceRule(Node n, SpaceRules rules) {
        rules.normalization(label(n), n.input(0), n.output(0), n.input(1), n.input(2), 1);
    }
}
