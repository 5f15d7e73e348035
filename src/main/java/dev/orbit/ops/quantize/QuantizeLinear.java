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
import dev.orbit.tensor.DType;

/**
 * QuantizeLinear: y = saturate(round(x / y_scale) + y_zero_point), rounding half to even, in float32 as the ONNX
 * reference does; uint8 unless the zero point is int8, int4 or uint4 (or opset 21's output_dtype says so; 4-bit
 * results saturate to [−8, 7] or [0, 15]; blocked scales as in DequantizeLinear). The scale and zero point are per tensor, or per slice
 * along {@code axis} (opset 13, default 1).
 */
public final class QuantizeLinear implements Op {
    @Override
    public String opType() { return "QuantizeLinear"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        DType out = ctx.input(2) != null ? ctx.input(2).dtype() : outputDtype(node);
        return OpSupport.one(new ValueType(out, ctx.require(node, 0).shape()));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        int rank = (int) x.dim();
        long axis = node.attributes().getInt("axis", 1);
        Tensor scale = Quantization.along(node, ctx.require(node, 1), axis, rank);
        Tensor zp = Quantization.along(node, ctx.input(2), axis, rank);
        long block = node.attributes().getInt("block_size", 0);
        if (block > 0) {
            scale = Quantization.blocked(node, ctx.require(node, 1), x, axis, block);
            if (ctx.input(2) != null) zp = Quantization.blocked(node, ctx.input(2), x, axis, block);
        }
        Tensor v = x.to(ScalarType.Float).div(scale.to(ScalarType.Float));
        DType grid = ctx.input(2) != null ? ctx.inputType(2) : outputDtype(node);
        if (grid != null && grid.isPacked4()) return OpSupport.one(Quantization.saturate4(v, zp, grid));
        return OpSupport.one(Quantization.saturate(v, zp, Quantization.gridOf(ctx.input(2))));
    }

    /** Without a zero point: opset 21's {@code output_dtype} (uint8 by default). */
    private static DType outputDtype(Node node) {
        long code = node.attributes().getInt("output_dtype", 0);
        return code == 0 ? DType.UINT8 : DType.fromOnnx((int) code);
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) { Quantization.freeze(node, rules); }
}
