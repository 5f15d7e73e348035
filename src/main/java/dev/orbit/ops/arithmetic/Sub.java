package dev.orbit.ops.arithmetic;

import static org.bytedeco.pytorch.global.torch.sub;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Node;
import dev.orbit.ops.SpaceRules;

/** Sub: the same symmetry rule as Add. */
public final class Sub extends BinaryArithmeticOp {
    public Sub() { super("Sub"); }

    @Override
    Tensor apply(Tensor a, Tensor b) { return sub(a, b); }

    @Override
    Long fold(long a, long b) { return a - b; }

    @Override
    boolean keepsSymbol(Dim q) { return q.isKnown() && q.size() == 0; }

    @Override
    public void spaceRule(Node node, SpaceRules rules) { AddSubRule.apply(rules, node); }
}
