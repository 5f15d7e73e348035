package dev.orbit.ops.linear;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ShapeException;

/** The check Gemm and MatMul share: the contracted dimensions agree. */
final class InnerDimensions {
    private InnerDimensions() {}

    static void check(Node node, Dim ka, Dim kb, Shape sa, Shape sb) {
        if (ka.isKnown() && kb.isKnown() && ka.size() != kb.size()) {
            throw new ShapeException(node.opType() + " node '" + node.label() + "': inner dimensions differ, "
                    + sa + " × " + sb);
        }
    }
}
