package dev.orbit.ops.arithmetic;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.minimum;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Node;
import dev.orbit.ops.SpaceRules;

/** Min of one or more broadcast inputs: the smallest, NaN winning as in numpy. */
public final class Min extends VariadicOp {
    public Min() { super("Min"); }

    @Override
    Tensor combine(Tensor acc, Tensor next) { return minimum(acc, next); }

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        rules.freezeInputs(node, label(node) + ": a rescaling of one operand changes which one wins (the rule for a constant operand belongs to issue 15)");
    }
}
