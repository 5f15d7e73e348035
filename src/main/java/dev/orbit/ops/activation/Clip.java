package dev.orbit.ops.activation;


import java.util.List;

import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;

import dev.orbit.graph.Attributes;
import dev.orbit.graph.Node;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.NodeWriter;
import dev.orbit.ops.OpSupport;

/**
 * Clip from opset 11: the bounds are optional inputs. A node that still carries min/max attributes is read the
 * old way. As an activation: "hardtanh" (also "hard-tanh", "hard_tanh").
 */
public final class Clip extends ClipOp {
    @Override
    public long sinceVersion() { return 11; }

    /** Its bounds are inputs that the evaluation below reads whole: the half policy widens every input as usual. */
    @Override
    public boolean widensItself(int i) { return false; }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        if (node.attributes().has("min") || node.attributes().has("max")) return OpSupport.one(apply(x, node.attributes()));
        Tensor min = ctx.input(1);
        Tensor max = ctx.input(2);
        if (min != null && min.requires_grad() || max != null && max.requires_grad()) {
            // tensor bounds keep the gradient with respect to the bounds (e.g. a learnable ReLU6 cap)
            return OpSupport.one(org.bytedeco.pytorch.global.torch.clamp(x, min == null ? new TensorOptional() : new TensorOptional(min),
                    max == null ? new TensorOptional() : new TensorOptional(max)));
        }
        ScalarOptional lo = min == null ? new ScalarOptional() : bound(x, min);
        ScalarOptional hi = max == null ? new ScalarOptional() : bound(x, max);
        return OpSupport.one(clamp(x, lo, hi));
    }

    private static ScalarOptional bound(Tensor x, Tensor b) {
        return OpSupport.isIntegral(x) ? new ScalarOptional(new org.bytedeco.pytorch.Scalar(b.item_long()))
                : new ScalarOptional(OpSupport.scalar(b.item_double()));
    }

    @Override
    public List<String> names() { return List.of("hardtanh", "hard-tanh", "hard_tanh"); }

    @Override
    public String label(double parameter) { return "hard-tanh"; }

    /** Clip with scalar min/max inputs named hardtanh.min and hardtanh.max (attributes before opset 11). */
    @Override
    public String write(NodeWriter w, String name, String x, double parameter) {
        if (w.opset() < 11) return w.node(name, "Clip", attributes(parameter), x);
        return w.node(name, "Clip", Attributes.NONE, x, w.scalar("hardtanh.min", -1), w.scalar("hardtanh.max", 1));
    }
}
