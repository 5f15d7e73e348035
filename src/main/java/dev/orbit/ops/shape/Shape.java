package dev.orbit.ops.shape;

import java.util.Arrays;
import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/** Shape, with start and end from opset 15. No channel space flows through it. */
public final class Shape implements Op {
    @Override
    public String opType() { return "Shape"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        int[] range = shapeRange(node, x.rank());
        List<Dim> dims = x.shape().dims().subList(range[0], range[1]);
        return OpSupport.one(new ValueType(DType.INT64, dev.orbit.graph.Shape.of(dims.size()), dims));
    }

    /** Shape's [start, end) (opset 15): negative values count from the back, both are clamped to [0, rank]. */
    private static int[] shapeRange(Node node, int rank) {
        long start = node.attributes().getInt("start", 0);
        long end = node.attributes().getInt("end", rank);
        if (start < 0) start += rank;
        if (end < 0) end += rank;
        int s = Math.clamp(start, 0, rank);
        int e = Math.clamp(end, 0, rank);
        return new int[] {s, Math.max(s, e)};
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        long[] s = OpSupport.sizes(ctx.require(node, 0));
        int[] r = shapeRange(node, s.length);
        long[] v = Arrays.copyOfRange(s, r[0], r[1]);
        return OpSupport.one(NdArray.ofLongs(v, v.length).toTorch());
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) { }
}
