package dev.orbit.ops.quantize;

import static org.bytedeco.pytorch.global.torch.clamp;
import static org.bytedeco.pytorch.global.torch.round;

import java.util.List;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.SpaceRules;
import dev.orbit.tensor.DType;

/**
 * DynamicQuantizeLinear: uint8 quantization with the range taken from the data, widened to include 0:
 * scale = (max(0, max x) − min(0, min x)) / 255, zero point = saturate(round(−min / scale)), then as
 * QuantizeLinear. Outputs y, y_scale, y_zero_point; float32 throughout, as the ONNX reference.
 */
public final class DynamicQuantizeLinear implements Op {
    @Override
    public String opType() { return "DynamicQuantizeLinear"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        Shape scalar = Shape.of(new long[0]);
        return List.of(new ValueType(DType.UINT8, x.shape()), new ValueType(DType.FLOAT32, scalar), new ValueType(DType.UINT8, scalar));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0).to(ScalarType.Float);
        Scalar zero = new Scalar(0.0);
        Tensor lo = x.numel() == 0 ? x.new_zeros(new long[0]) : clamp(x.min(), new ScalarOptional(), new ScalarOptional(zero));
        Tensor hi = x.numel() == 0 ? x.new_zeros(new long[0]) : clamp(x.max(), new ScalarOptional(zero), new ScalarOptional());
        Tensor scale = hi.sub(lo).div(new Scalar(255.0));
        Tensor zp = clamp(round(lo.neg().div(scale)), new ScalarOptional(zero), new ScalarOptional(new Scalar(255.0))).to(ScalarType.Byte);
        Tensor y = Quantization.saturate(x.div(scale), zp, ScalarType.Byte);
        return List.of(y, scale, zp);
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) { Quantization.freeze(node, rules); }
}
