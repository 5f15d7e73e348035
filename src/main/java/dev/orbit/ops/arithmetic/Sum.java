package dev.orbit.ops.arithmetic;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.add;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Node;
import dev.orbit.ops.SpaceRules;

/** Sum of one or more broadcast inputs: the sum. */
public final class Sum extends VariadicOp {
    public Sum() { super("Sum"); }

    @Override
    Tensor combine(Tensor acc, Tensor next) { return add(acc, next); }

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        rules.freezeInputs(node, label(node) + ": its symmetry rule (the n-ary Add) is not written yet");
    }
}
