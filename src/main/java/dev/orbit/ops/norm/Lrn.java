package dev.orbit.ops.norm;

import static dev.orbit.ops.SpaceRules.label;

import java.util.List;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;

/**
 * LRN: y = x / (bias + alpha/size · Σ x²)^beta, the sum over the channels c − ⌊(size−1)/2⌋ … c + ⌈(size−1)/2⌉
 * (zeros past the ends). alpha 1e-4, beta 0.75, bias 1 by default.
 */
public final class Lrn implements Op {
    @Override
    public String opType() { return "LRN"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) { return OpSupport.one(ctx.require(node, 0)); }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        long size = node.attributes().getInt("size", 1);
        double alpha = node.attributes().getFloat("alpha", 1e-4f);
        double beta = node.attributes().getFloat("beta", 0.75f);
        double bias = node.attributes().getFloat("bias", 1f);
        long c = x.size(1);
        long before = (size - 1) / 2;
        long after = size - 1 - before;
        Tensor sq = x.mul(x).movedim(1, -1);
        Tensor padded = torch.constant_pad_nd(sq, new long[] {before, after});
        Tensor sum = torch.zeros_like(sq);
        for (long k = 0; k < size; k++) sum = sum.add(padded.narrow(-1, k, c));
        Tensor denom = torch.pow(sum.movedim(-1, 1).mul(new Scalar(alpha / size)).add(new Scalar(bias)), new Scalar(beta));
        return OpSupport.one(x.div(denom));
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        rules.freezeInputs(node, label(node) + ": sums squares over neighbouring channels, so channel order and scale matter");
    }
}
