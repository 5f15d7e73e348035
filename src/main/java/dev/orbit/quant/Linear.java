package dev.orbit.quant;

import java.util.ArrayList;
import java.util.List;

import dev.orbit.graph.Graph;
import dev.orbit.graph.Node;

/**
 * A linear layer as quantisation sees it: a MatMul or Gemm whose weight is a constant matrix and whose input is
 * an activation. {@code channelAxis} is the weight axis of the output channels (1 for x·W, 0 for Gemm with transB).
 */
record Linear(Node node, String input, String weight, int channelAxis) {
    static List<Linear> find(Graph g) {
        List<Linear> out = new ArrayList<>();
        for (Node n : g.nodes()) {
            String x = n.input(0);
            String w = n.input(1);
            if (x.isEmpty() || g.isParameter(x) || w.isEmpty() || !g.isParameter(w) || g.parameter(w).rank() != 2
                    || !g.parameter(w).dtype().isFloating()) continue;
            switch (n.opType()) {
                case "MatMul" -> out.add(new Linear(n, x, w, 1));
                case "Gemm" -> {
                    if (n.attributes().getInt("transA", 0) == 0) out.add(new Linear(n, x, w, n.attributes().getInt("transB", 0) != 0 ? 0 : 1));
                }
                default -> { }
            }
        }
        return out;
    }

    String label() { return node.opType() + " '" + node.label() + "'"; }
}
