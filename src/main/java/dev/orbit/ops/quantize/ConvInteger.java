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
import dev.orbit.tensor.DType;

/**
 * ConvInteger: int32 Conv(x − x_zero_point, w − w_zero_point) with Conv's attributes (pads, strides, dilations,
 * group, auto_pad); w_zero_point per tensor or per output channel. Exact (float64 accumulation); padding adds
 * zeros of the centred input, as the ONNX reference pads x with its zero point.
 */
public final class ConvInteger implements Op {
    private static final Conv CONV = new Conv();

    @Override
    public String opType() { return "ConvInteger"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        return Quantization.withType(CONV.infer(node, Quantization.inputs(ctx, 0, 1)), DType.INT32);
    }

    /** Conv of the centred integers in float64. */
    static Tensor accumulate(Node node, EvalContext ctx, Tensor x, Tensor xZero, Tensor w, Tensor wZero, Tensor bias) {
        Tensor xc = Quantization.centred(x, xZero == null ? null : xZero.reshape());
        Tensor wc = Quantization.centred(w, wZero == null ? null : Quantization.along(node, wZero, 0, (int) w.dim()));
        Tensor b = bias == null ? null : bias.to(ScalarType.Double);
        return CONV.evaluate(node, Quantization.inputs(ctx, xc, wc, b)).getFirst();
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor y = accumulate(node, ctx, ctx.require(node, 0), ctx.input(2), ctx.require(node, 1), ctx.input(3), null);
        return List.of(y.round().to(ScalarType.Int));
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) { Quantization.freeze(node, rules); }
}
