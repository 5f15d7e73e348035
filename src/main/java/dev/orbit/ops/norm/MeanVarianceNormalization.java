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
 * MeanVarianceNormalization: (x − E[x]) / sqrt(E[x²] − E[x]² + 1e-9) over {@code axes} (default [0, 2, 3]: per
 * channel of an NCHW tensor), the ONNX function's own form.
 */
public final class MeanVarianceNormalization implements Op {
    @Override
    public String opType() { return "MeanVarianceNormalization"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) { return OpSupport.one(ctx.require(node, 0)); }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        long[] axes = node.attributes().getInts("axes", new long[] {0, 2, 3});
        for (int i = 0; i < axes.length; i++) axes[i] = OpSupport.axis(node, axes[i], (int) x.dim());
        Tensor mean = x.mean(axes, true, new org.bytedeco.pytorch.ScalarTypeOptional());
        Tensor meanSq = x.mul(x).mean(axes, true, new org.bytedeco.pytorch.ScalarTypeOptional());
        Tensor var = meanSq.sub(mean.mul(mean));
        return OpSupport.one(x.sub(mean).div(torch.sqrt(var.add(new Scalar(1e-9)))));
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        // per-channel statistics would pass a channel permutation, but the axes may include the channel axis
        // and no rescaling survives a normalisation: the general rule is not modelled, so everything stays
        rules.freezeInputs(node, label(node) + ": a normalisation over the given axes (a per-channel rescaling cancels)");
    }
}
