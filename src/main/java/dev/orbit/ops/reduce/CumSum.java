package dev.orbit.ops.reduce;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.cumsum;
import static org.bytedeco.pytorch.global.torch.flip;
import static org.bytedeco.pytorch.global.torch.sub;

import java.util.List;

import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.ModelFormatException;
import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;

/**
 * CumSum along the axis given as a scalar input; exclusive = 1 leaves each element out of its own sum, reverse = 1
 * sums from the end. The type is kept (libtorch widens integer sums to int64).
 */
public final class CumSum implements Op {
    @Override
    public String opType() { return "CumSum"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        return OpSupport.one(new ValueType(x.dtype(), x.shape()));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        long[] axis = ctx.longs(1);
        if (axis == null || axis.length != 1) throw new ModelFormatException("CumSum node '" + node.label() + "' needs a scalar axis");
        int a = OpSupport.axis(node, axis[0], (int) x.dim());
        boolean reverse = node.attributes().getInt("reverse", 0) != 0;
        boolean exclusive = node.attributes().getInt("exclusive", 0) != 0;
        Tensor v = reverse ? flip(x, new long[] {a}) : x;
        Tensor s = cumsum(v, a, new ScalarTypeOptional());
        if (exclusive) s = sub(s, v);
        if (reverse) s = flip(s, new long[] {a});
        return OpSupport.one(s.to(x.scalar_type().intern()));
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        rules.freezeInputs(node, label(node) + ": a running sum along an axis (its rule is not written yet)");
    }
}
