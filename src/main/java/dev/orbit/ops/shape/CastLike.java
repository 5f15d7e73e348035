package dev.orbit.ops.shape;

import static dev.orbit.ops.SpaceRules.label;

import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;

/** CastLike(x, like): x cast to like's element type (like's values are not read). */
public final class CastLike implements Op {
    @Override
    public String opType() { return "CastLike"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        ValueType like = ctx.input(1);
        if (like == null) throw OpSupport.shapeError(node, "needs the target_type input");
        return OpSupport.one(new ValueType(like.dtype(), x.shape()));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        return OpSupport.one(ctx.require(node, 0).to(ctx.require(node, 1).scalar_type().intern()));
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        ValueType t = rules.type(node.output(0));
        if (t != null && t.dtype().isFloating()) rules.pass(node);
        else rules.freeze(node.input(0), label(node) + " casts to a non-float type");
    }
}
