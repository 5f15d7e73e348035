package dev.orbit.ops.arithmetic;

import static org.bytedeco.pytorch.global.torch.maximum;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Node;
import dev.orbit.ops.SpaceRules;

/** Max of one or more broadcast inputs: the largest, NaN winning as in numpy. */
public final class Max extends VariadicOp {
    public Max() { super("Max"); }

    @Override
    Tensor combine(Tensor acc, Tensor next) { return maximum(acc, next); }

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        ElementwiseWithConstants.rule(node, rules); // with constants: τ·max(x/τ, c), exact for any non-zero τ
    }
}
