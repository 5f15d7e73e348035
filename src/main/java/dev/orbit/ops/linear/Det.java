package dev.orbit.ops.linear;

import static dev.orbit.ops.SpaceRules.label;

import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;

/** Det: the determinant of each square matrix in the last two axes (LU in libtorch; differentiable). */
public final class Det implements Op {
    @Override
    public String opType() { return "Det"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        if (x.rank() < 2) throw OpSupport.shapeError(node, "input " + x.shape() + " is not a (batch of) square matrices");
        return OpSupport.one(new ValueType(x.dtype(), new Shape(x.shape().dims().subList(0, x.rank() - 2))));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) { return OpSupport.one(torch.det(ctx.require(node, 0))); }

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        // a simultaneous row and column permutation keeps det, but the output has no channel axis left to carry it
        rules.freezeInputs(node, label(node) + ": contracts both matrix axes into one number");
    }
}
