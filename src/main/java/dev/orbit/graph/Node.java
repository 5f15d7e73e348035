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
