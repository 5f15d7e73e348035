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
import dev.orbit.tensor.DType;

/**
 * MatMulInteger: int32 (A − a_zero_point) · (B − b_zero_point) with MatMul's broadcasting; a_zero_point per tensor
 * or per row of A, b_zero_point per tensor or per column of B. Exact (float64 accumulation of 8-bit products).
 */
public final class MatMulInteger implements Op {
    private static final MatMul MATMUL = new MatMul();

    @Override
    public String opType() { return "MatMulInteger"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        return Quantization.withType(MATMUL.infer(node, Quantization.inputs(ctx, 0, 1)), DType.INT32);
    }

    /** A's zero point lined up with A's rows: a vector becomes a column. */
    static Tensor rows(Tensor zp) { return zp == null || zp.numel() == 1 ? zp == null ? null : zp.reshape() : zp.reshape(-1, 1); }

    static Tensor columns(Tensor zp) { return zp == null || zp.numel() == 1 ? zp == null ? null : zp.reshape() : zp.reshape(-1); }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor a = Quantization.centred(ctx.require(node, 0), rows(ctx.input(2)));
        Tensor b = Quantization.centred(ctx.require(node, 1), columns(ctx.input(3)));
        Tensor y = MATMUL.evaluate(node, Quantization.inputs(ctx, a, b)).getFirst();
        return List.of(y.round().to(ScalarType.Int));
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) { Quantization.freeze(node, rules); }
}
