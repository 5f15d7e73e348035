package dev.orbit.ops.arithmetic;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.pow;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Node;
import dev.orbit.ops.SpaceRules;

/** Pow; the result keeps the base's type. Not folded on shape arithmetic. */
public final class Pow extends BinaryArithmeticOp {
    public Pow() { super("Pow"); }

    @Override
    Tensor apply(Tensor a, Tensor b) { return pow(a, b).to(a.scalar_type()); }

    @Override
    Long fold(long a, long b) { return null; }

    /** A constant exponent is elementwise (rewritten with its region); a variable one freezes. */
    @Override
    public void spaceRule(Node n, SpaceRules rules) {
        if (rules.layout(n.input(1)) != null) rules.freezeInputs(n, label(n) + ": variable exponent");
        else rules.region(n, false);
    }
}
