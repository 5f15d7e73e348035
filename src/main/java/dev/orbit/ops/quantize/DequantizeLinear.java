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
 * DequantizeLinear: y = (x − x_zero_point) · x_scale in float32, for uint4, int4, uint8, int8 or int32 x (int32 takes
 * no zero point); per tensor, per slice along {@code axis} (opset 13, default 1), or in blocks of {@code block_size}
 * along {@code axis} (opset 21: the scale has x's rank, its axis ⌈n / block_size⌉ long).
 */
public final class DequantizeLinear implements Op {
    @Override
    public String opType() { return "DequantizeLinear"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        return OpSupport.one(new ValueType(DType.FLOAT32, ctx.require(node, 0).shape()));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        int rank = (int) x.dim();
        long axis = node.attributes().getInt("axis", 1);
        long block = node.attributes().getInt("block_size", 0);
        Tensor scale = block > 0 ? Quantization.blocked(node, ctx.require(node, 1), x, axis, block)
                : Quantization.along(node, ctx.require(node, 1), axis, rank);
        Tensor zp = block > 0 && ctx.input(2) != null ? Quantization.blocked(node, ctx.input(2), x, axis, block)
                : Quantization.along(node, ctx.input(2), axis, rank);
        Tensor d = x.to(ScalarType.Float);
        if (zp != null) d = d.sub(zp.to(ScalarType.Float));
        return OpSupport.one(d.mul(scale.to(ScalarType.Float)));
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) { Quantization.freeze(node, rules); }
}
