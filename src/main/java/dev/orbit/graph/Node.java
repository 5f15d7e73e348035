package dev.orbit.graph;

import java.util.List;

/**
 * One operation. An input name of "" marks an omitted optional input, as in ONNX. Nodes are immutable;
 * graph rewrites build new nodes.
 */
public record Node(String name, String opType, String domain, List<String> inputs, List<String> outputs,
                   Attributes attributes, String docString) {
    /**
     * The doc_string of the per-channel {@code Mul} a move inserts before a rewritten activation region (x·1/τ).
     * A doc_string, not an attribute or a name: ONNX Runtime ignores doc_strings but rejects unknown attributes
     * on standard ops, and names are the user's.
     */
    public static final String REWRITE_IN = "orbit:rewrite-in";
    /** The doc_string of the per-channel {@code Mul} after a rewritten activation region (y·τ). */
    public static final String REWRITE_OUT = "orbit:rewrite-out";

    public Node {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        domain = domain == null ? "" : domain;
        docString = docString == null ? "" : docString;
        attributes = attributes == null ? Attributes.NONE : attributes;
    }

    public Node(String name, String opType, List<String> inputs, List<String> outputs, Attributes attributes) {
        this(name, opType, "", inputs, outputs, attributes, "");
    }

    /** The i-th input name, or "" when absent. */
    public String input(int i) { return i < inputs.size() ? inputs.get(i) : ""; }

    public String output(int i) { return outputs.get(i); }

    /** The sub-graphs among the attributes (If's branches, Loop's and Scan's bodies), by attribute name. */
    public java.util.Map<String, Graph> subgraphs() {
        java.util.Map<String, Graph> out = new java.util.LinkedHashMap<>();
        attributes.map().forEach((k, a) -> { if (a instanceof Attr.Subgraph(Graph g, byte[] b)) out.put(k, g); });
        return out;
    }

    /** The sub-graph in attribute {@code name}; fails with a one-line message when it is absent or not readable. */
    public Graph subgraph(String attribute) {
        return switch (attributes.map().get(attribute)) {
            case Attr.Subgraph(Graph g, byte[] b) -> g;
            case null -> throw new ModelFormatException(opType + " node '" + label() + "' has no attribute '" + attribute + "'");
            default -> throw new ModelFormatException(opType + " node '" + label() + "': attribute '" + attribute
                    + "' is not a graph Orbit can read (it holds sequence or optional values, or is not a graph)");
        };
    }

    /**
     * Values of the enclosing graph that this node's sub-graphs read by name (outer-scope references): the node
     * depends on them as much as on its inputs, for ordering and for how long they must live.
     */
    public java.util.Set<String> implicitInputs() {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (Attr a : attributes.map().values()) if (a instanceof Attr.Subgraph(Graph g, byte[] b)) out.addAll(g.outerReads());
        return out;
    }

    /** The inputs, then the implicit inputs of the sub-graphs. */
    public List<String> readValues() {
        if (implicitInputs().isEmpty()) return inputs;
        java.util.List<String> all = new java.util.ArrayList<>(inputs);
        all.addAll(implicitInputs());
        return all;
    }

    /** A {@code Mul} a move inserted around a rewritten activation region: τ·f(x/τ) (see {@link #REWRITE_IN}). */
    public boolean isRewrite() { return isRewriteIn() || isRewriteOut(); }

    public boolean isRewriteIn() { return docString.equals(REWRITE_IN); }

    public boolean isRewriteOut() { return docString.equals(REWRITE_OUT); }

    /** True for the standard ONNX operator set ("" or "ai.onnx"). */
    public boolean isStandardDomain() { return domain.isEmpty() || domain.equals("ai.onnx"); }

    /** A readable label for messages: the node name if it has one, else its type and first output. */
    public String label() {
        return (name.isEmpty() ? opType + "→" + (outputs.isEmpty() ? "" : outputs.getFirst()) : name) ;
    }

    public Node withInputs(List<String> newInputs) {
        return new Node(name, opType, domain, newInputs, outputs, attributes, docString);
    }

    public Node withAttributes(Attributes a) {
        return new Node(name, opType, domain, inputs, outputs, a, docString);
    }
}
