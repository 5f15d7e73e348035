package dev.orbit.ops.indexing;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.tril;
import static org.bytedeco.pytorch.global.torch.triu;

import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;

/** Trilu: the upper (upper = 1, default) or lower triangle of the last two axes, shifted by the diagonal k (input, default 0). */
public final class Trilu implements Op {
    @Override
    public String opType() { return "Trilu"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        return OpSupport.one(new ValueType(x.dtype(), x.shape()));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        long[] k = ctx.longs(1);
        long diagonal = k == null || k.length == 0 ? 0 : k[0];
        boolean upper = node.attributes().getInt("upper", 1) != 0;
        return OpSupport.one(upper ? triu(x, diagonal) : tril(x, diagonal));
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        rules.freezeInputs(node, label(node) + ": zeroes entries by position, which a permutation moves");
    }
}
