package dev.orbit.ops.shape;

import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpArgs;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/** Size: the element count as an int64 scalar (tracked as a value, so shape arithmetic keeps it). */
public final class Size implements Op {
    @Override
    public String opType() { return "Size"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        return OpSupport.one(new ValueType(DType.INT64, new dev.orbit.graph.Shape(List.of()), List.of(OpArgs.product(x.shape().dims()))));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        return OpSupport.one(NdArray.ofLongs(new long[] {ctx.require(node, 0).numel()}).toTorch());
    }

    /** Reads only the shape: no space passes, none is restricted (as Shape). */
    @Override
    public void spaceRule(Node node, SpaceRules rules) { }
}
