package dev.orbit.ops.activation;

import static org.bytedeco.pytorch.global.torch.gt;
import static org.bytedeco.pytorch.global.torch.mul;
import static org.bytedeco.pytorch.global.torch.where;

import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;

/** PRelu from opset 7: x for x > 0, slope·x below, the slope an input broadcast against x (numpy's way). */
public final class PRelu implements Op {
    @Override
    public String opType() { return "PRelu"; }

    @Override
    public long sinceVersion() { return 7; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        ValueType slope = ctx.require(node, 1);
        return OpSupport.one(new ValueType(x.dtype(), OpSupport.broadcast(node, x.shape(), slope.shape())));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        Tensor slope = ctx.require(node, 1);
        return OpSupport.one(where(gt(x, OpSupport.scalar(0)), x, mul(x, slope)));
    }

    /** Positively homogeneous: a member of an activation region that positive factors pass unchanged. */
    @Override
    public void spaceRule(Node node, SpaceRules rules) { rules.region(node, true); }
}
