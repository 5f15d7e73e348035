package dev.orbit.ops.shape;

import static org.bytedeco.pytorch.global.torch.ge;
import static org.bytedeco.pytorch.global.torch.mul;
import static org.bytedeco.pytorch.global.torch.ones_like;
import static org.bytedeco.pytorch.global.torch.rand_like;

import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;
import dev.orbit.tensor.DType;

/** Dropout: the identity in inference; drops with the given ratio while training (or with training_mode). */
public final class Dropout implements Op {
    @Override
    public String opType() { return "Dropout"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        return List.of(x, new ValueType(ctx.opset() >= 10 ? DType.BOOL : x.dtype(), x.shape()));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) { return dropout(node, ctx, ctx.require(node, 0)); }

    /** Inference passes the input through; training (or training_mode) drops with the given ratio. */
    private static List<Tensor> dropout(Node node, EvalContext ctx, Tensor x) {
        boolean oldMask = ctx.opset() < 10; // before opset 10 the mask has the data's type
        double ratio;
        boolean train = ctx.training();
        if (ctx.opset() >= 12) {
            Tensor r = ctx.input(1);
            ratio = r == null ? 0.5 : r.item_double();
            Tensor mode = ctx.input(2);
            train |= mode != null && mode.item_bool();
        } else {
            ratio = node.attributes().getFloat("ratio", 0.5f);
        }
        if (!train || ratio == 0) {
            Tensor mask = ones_like(x).to(oldMask ? x.scalar_type().intern() : ScalarType.Bool);
            return List.of(new Tensor(x), mask);
        }
        Tensor keep = ge(rand_like(x), OpSupport.scalar(ratio));
        Tensor y = ratio >= 1 ? mul(x, OpSupport.scalar(0))
                : mul(mul(x, keep), OpSupport.scalar(1 / (1 - ratio)));
        return List.of(y, oldMask ? keep.to(x.scalar_type().intern()) : keep);
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) { rules.pass(node); }
}
