package dev.orbit.ops.activation;

import static org.bytedeco.pytorch.global.torch.gt;
import static org.bytedeco.pytorch.global.torch.mul;
import static org.bytedeco.pytorch.global.torch.where;

import java.util.Arrays;
import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;

/**
 * PRelu before opset 7: a slope of shape [C] (C > 1) acts along axis 1, the channels, not along the last axis as
 * numpy broadcasting (opset 7 on) would put it; a one-element slope is shared.
 */
public final class PRelu6 implements Op {
    @Override
    public String opType() { return "PRelu"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        ValueType slope = ctx.require(node, 1);
        if (channelSlope(slope.rank(), x.rank())) return OpSupport.one(new ValueType(x.dtype(), x.shape()));
        return OpSupport.one(new ValueType(x.dtype(), OpSupport.broadcast(node, x.shape(), slope.shape())));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        Tensor slope = ctx.require(node, 1);
        if (channelSlope((int) slope.dim(), (int) x.dim()) && slope.size(0) > 1) {
            long[] shape = new long[(int) x.dim() - 1];
            Arrays.fill(shape, 1);
            shape[0] = slope.size(0);
            slope = slope.reshape(shape);
        }
        return OpSupport.one(where(gt(x, OpSupport.scalar(0)), x, mul(x, slope)));
    }

    private static boolean channelSlope(int slopeRank, int xRank) { return slopeRank == 1 && xRank >= 2; }

    /**
     * A per-channel slope on a tensor of rank > 2 lies along axis 1, which the broadcast alignment of an activation
     * region does not see: those inputs freeze. Otherwise the opset-7 rule (a positively homogeneous region).
     */
    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        String slope = node.input(1);
        if (rules.isParam(slope) && rules.parameter(slope).rank() == 1 && rules.parameter(slope).size() > 1
                && rules.rank(node.input(0)) > 2) {
            rules.freezeInputs(node, SpaceRules.label(node) + ": opset-6 per-channel slope along axis 1 (not analysed yet)");
            return;
        }
        rules.region(node, true);
    }
}
