package dev.orbit.ops.quantize;

import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.SpaceRules;
import dev.orbit.ops.conv.Conv;

/**
 * QLinearConv (inputs x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale, y_zero_point, optional int32
 * bias B): the exact integer convolution of the centred x and w plus B, times x_scale·w_scale / y_scale in
 * float32 (w_scale per tensor or per output channel), rounded half to even, plus y_zero_point, saturated.
 */
public final class QLinearConv implements Op {
    private static final Conv CONV = new Conv();

    @Override
    public String opType() { return "QLinearConv"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        return Quantization.withType(CONV.infer(node, Quantization.inputs(ctx, 0, 3)), Quantization.dtypeOf(ctx.input(7)));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        Tensor acc = ConvInteger.accumulate(node, ctx, x, ctx.input(2), ctx.require(node, 3), ctx.input(5), ctx.input(8));
        int rank = (int) x.dim();
        Tensor multiplier = ctx.require(node, 1).reshape().to(ScalarType.Float)
                .mul(Quantization.along(node, ctx.require(node, 4), 1, rank).to(ScalarType.Float))
                .div(ctx.require(node, 6).reshape().to(ScalarType.Float));
        Tensor yZero = ctx.input(7) == null ? null : ctx.input(7).reshape();
        return List.of(Quantization.saturate(acc.to(ScalarType.Float).mul(multiplier), yZero, Quantization.gridOf(ctx.input(7))));
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) { Quantization.freeze(node, rules); }
}
