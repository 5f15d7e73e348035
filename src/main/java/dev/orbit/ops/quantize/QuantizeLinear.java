package dev.orbit.ops.quantize;

import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;

/**
 * QuantizeLinear: y = saturate(round(x / y_scale) + y_zero_point), rounding half to even, in float32 as the ONNX
 * reference does; uint8 unless the zero point is int8. The scale and zero point are per tensor, or per slice
 * along {@code axis} (opset 13, default 1).
 */
public final class QuantizeLinear implements Op {
    @Override
    public String opType() { return "QuantizeLinear"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        return OpSupport.one(new ValueType(Quantization.dtypeOf(ctx.input(2)), ctx.require(node, 0).shape()));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        int rank = (int) x.dim();
        long axis = node.attributes().getInt("axis", 1);
        Tensor scale = Quantization.along(node, ctx.require(node, 1), axis, rank);
        Tensor zp = Quantization.along(node, ctx.input(2), axis, rank);
        Tensor v = x.to(ScalarType.Float).div(scale.to(ScalarType.Float));
        return OpSupport.one(Quantization.saturate(v, zp, Quantization.gridOf(ctx.input(2))));
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) { Quantization.freeze(node, rules); }
}
