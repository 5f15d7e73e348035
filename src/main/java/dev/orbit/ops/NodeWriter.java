package dev.orbit.ops;

import dev.orbit.graph.Attributes;

/** Where an {@link ElementwiseOp} writes itself when a network is built from a spec. */
public interface NodeWriter {
    /** The opset of the graph being written. */
    long opset();

    /** Adds a node with one output named like the node; returns that output. */
    String node(String name, String opType, Attributes attributes, String... inputs);

    /** A shared rank-0 float32 constant, created on first use; returns its name. */
    String scalar(String name, double value);
}
