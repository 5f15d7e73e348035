package dev.orbit.ops.arithmetic;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.add;
import static org.bytedeco.pytorch.global.torch.div;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Node;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;

/** Mean of one or more broadcast inputs (float types). */
public final class Mean extends VariadicOp {
    public Mean() { super("Mean"); }

    @Override
    Tensor combine(Tensor acc, Tensor next) { return add(acc, next); }

    @Override
    Tensor finish(Tensor combined, int n) { return n == 1 ? combined : div(combined, OpSupport.scalar(n)); }

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        rules.freezeInputs(node, label(node) + ": its symmetry rule (an n-ary Add, scaled) is not written yet");
    }
}
