package dev.orbit.ops.arithmetic;

import static org.bytedeco.pytorch.global.torch.add;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Node;
import dev.orbit.ops.SpaceRules;

/** Add: sums of two neuron spaces merge them; a per-channel constant moves with the space (x + c → τx + τc). */
public final class Add extends BinaryArithmeticOp {
    public Add() { super("Add"); }

    @Override
    Tensor apply(Tensor a, Tensor b) { return add(a, b); }

    @Override
    Long fold(long a, long b) { return a + b; }

    @Override
    boolean keepsSymbol(Dim q) { return q.isKnown() && q.size() == 0; }

    @Override
    public void spaceRule(Node node, SpaceRules rules) { AddSubRule.apply(rules, node); }
}
