package dev.orbit.ops.indexing;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.nonzero;

import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;
import dev.orbit.tensor.DType;

/** NonZero: the int64 indices of the non-zero elements, one row per axis ([rank, count], row-major order). */
public final class NonZero implements Op {
    @Override
    public String opType() { return "NonZero"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        return OpSupport.one(new ValueType(DType.INT64, new Shape(List.of(Dim.of(x.rank()), Dim.unknown()))));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        if (x.dim() == 0) x = x.reshape(1); // a scalar counts as one element at no index: [0, n] rows
        Tensor idx = nonzero(x).t().contiguous();
        if (ctx.require(node, 0).dim() == 0) idx = idx.narrow(0, 0, 0);
        return OpSupport.one(idx);
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        rules.freezeInputs(node, label(node) + ": its int64 index output carries no neuron space");
    }
}
