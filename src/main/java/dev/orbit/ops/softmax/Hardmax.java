package dev.orbit.ops.softmax;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.argmax;
import static org.bytedeco.pytorch.global.torch.zeros_like;

import java.util.List;

import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;

/**
 * Hardmax from opset 13: 1 at the first largest value along {@code axis} (default −1), 0 elsewhere. Before 13 the
 * input is coerced to 2-D at axis (default 1): {@link #coerced()}.
 */
public final class Hardmax implements Op {
    private final boolean coerced;

    public Hardmax() { this(false); }

    private Hardmax(boolean coerced) { this.coerced = coerced; }

    /** Hardmax before opset 13, over the flattened trailing axes from {@code axis}. */
    public static Hardmax coerced() { return new Hardmax(true); }

    @Override
    public String opType() { return "Hardmax"; }

    @Override
    public long sinceVersion() { return coerced ? 1 : 13; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        return OpSupport.one(new ValueType(x.dtype(), x.shape()));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        int r = (int) x.dim();
        if (coerced) {
            long axis = node.attributes().getInt("axis", 1);
            int a = (int) (axis < 0 ? axis + r : axis);
            long[] s = OpSupport.sizes(x);
            long outer = 1;
            for (int i = 0; i < a; i++) outer *= s[i];
            return OpSupport.one(oneHotMax(x.reshape(outer, -1), 1).reshape(s));
        }
        return OpSupport.one(oneHotMax(x, OpSupport.axis(node, node.attributes().getInt("axis", -1), r)));
    }

    private static Tensor oneHotMax(Tensor x, int axis) {
        Tensor idx = argmax(x, new LongOptional(axis), true);
        return zeros_like(x).scatter(axis, idx, new Scalar(1.0));
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        rules.freezeInputs(node, label(node) + ": a one-hot of the position of the maximum (rule not written yet)");
    }
}
