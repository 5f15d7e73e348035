package dev.orbit.ops.indexing;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.gather;

import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;

/** GatherElements: out[i][j]… = data[…index…] along {@code axis}, the output shaped as the indices (negative ones count back). */
public final class GatherElements implements Op {
    @Override
    public String opType() { return "GatherElements"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType data = ctx.require(node, 0);
        ValueType idx = ctx.require(node, 1);
        return OpSupport.one(new ValueType(data.dtype(), idx.shape()));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor data = ctx.require(node, 0);
        int a = OpSupport.axis(node, node.attributes().getInt("axis", 0), (int) data.dim());
        Tensor idx = IndexingSupport.wrapNegative(ctx.require(node, 1), data.size(a));
        return OpSupport.one(gather(data, a, idx));
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        rules.freezeInputs(node, label(node) + ": picks elements by computed indices");
    }
}
