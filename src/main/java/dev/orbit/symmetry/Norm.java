package dev.orbit.symmetry;

import java.util.List;

import dev.orbit.graph.Node;

/**
 * A normalisation over the last axis found in a graph: the ONNX {@code LayerNormalization} op or a decomposed
 * sub-graph. LAYER_NORM: (x − mean x)/√(var x + ε); RMS_NORM: x/√(mean x² + ε); then ·gain and +bias when
 * present. {@code core} is the normalised value before the gain (null for the single op), {@code output} what
 * the rest of the graph reads; {@code nodes} are every node of the sub-graph, gain and bias included.
 */
public record Norm(Kind kind, String input, String core, String output, String gain, String bias, double epsilon,
                   List<Node> nodes, boolean singleOp, String label) {
    public enum Kind { LAYER_NORM, RMS_NORM }

    public Norm {
        nodes = List.copyOf(nodes);
    }

    public boolean hasAffine() { return gain != null || bias != null; }

    public String describe() {
        return (kind == Kind.LAYER_NORM ? "LayerNorm" : "RMSNorm") + " '" + label + "'";
    }
}
