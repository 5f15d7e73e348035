package dev.orbit.ops.arithmetic;

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
        ElementwiseWithConstants.rule(node, rules); // with constants: τ·min(x/τ, c), exact for any non-zero τ
    }
}
