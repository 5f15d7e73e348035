package dev.orbit.ops.logic;

import static org.bytedeco.pytorch.global.torch.logical_not;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Node;

/** Not: logical negation of a bool tensor. */
public final class Not extends UnaryLogicOp {
    public Not() { super("Not"); }

    @Override
    Tensor apply(Node node, Tensor x) { return logical_not(x); }
}
