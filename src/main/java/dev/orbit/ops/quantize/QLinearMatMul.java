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
import dev.orbit.ops.linear.MatMul;

/**
 * QLinearMatMul (inputs a, a_scale, a_zero_point, b, b_scale, b_zero_point, y_scale, y_zero_point): the exact
 * integer product (a − a_zp)(b − b_zp) times a_scale·b_scale / y_scale in float32, rounded half to even, plus
 * y_zero_point, saturated. Scales and zero points per tensor, per row of a or per column of b.
 */
public final class QLinearMatMul implements Op {
    private static final MatMul MATMUL = new MatMul();

    @Override
    public String opType() { return "QLinearMatMul"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        return Quantization.withType(MATMUL.infer(node, Quantization.inputs(ctx, 0, 3)), Quantization.dtypeOf(ctx.input(7)));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor a = Quantization.centred(ctx.require(node, 0), MatMulInteger.rows(ctx.input(2)));
        Tensor b = Quantization.centred(ctx.require(node, 3), MatMulInteger.columns(ctx.input(5)));
        Tensor acc = MATMUL.evaluate(node, Quantization.inputs(ctx, a, b)).getFirst();
        Tensor multiplier = MatMulInteger.rows(ctx.require(node, 1)).to(ScalarType.Float)
                .mul(MatMulInteger.columns(ctx.require(node, 4)).to(ScalarType.Float))
                .div(ctx.require(node, 6).reshape().to(ScalarType.Float));
        Tensor yZero = ctx.input(7) == null ? null : ctx.input(7).reshape();
        return List.of(Quantization.saturate(acc.to(ScalarType.Float).mul(multiplier), yZero, Quantization.gridOf(ctx.input(7))));
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) { Quantization.freeze(node, rules); }
}
