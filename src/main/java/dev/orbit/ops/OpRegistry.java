package dev.orbit.ops;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import dev.orbit.graph.Node;

/**
 * The ops Orbit knows, by domain and type (and opset, where an op has versions). An instance, not a global:
 * the evaluator, shape inference, the symmetry analysis and the trainer each receive one, by default
 * {@code StandardOps.registry()}. Users extend it with their own ops ({@link #with}), for example a custom
 * domain's activation, and hand the result to those components. Registries are immutable.
 */
public final class OpRegistry {
    private final Map<String, List<Op>> byKey;

    private OpRegistry(Map<String, List<Op>> byKey) { this.byKey = byKey; }

    /** A registry of exactly these ops; two ops with the same domain, type and sinceVersion are an error. */
    public static OpRegistry of(Collection<? extends Op> ops) {
        return new OpRegistry(Map.of()).add(ops, false);
    }

    /**
     * A copy with more ops. An op with the same domain, type and {@link Op#sinceVersion} as one already here
     * replaces it, so a user may also override a standard op.
     */
    public OpRegistry with(Op... ops) { return add(List.of(ops), true); }

    private OpRegistry add(Collection<? extends Op> ops, boolean replace) {
        Map<String, List<Op>> m = new LinkedHashMap<>();
        byKey.forEach((k, v) -> m.put(k, new ArrayList<>(v)));
        for (Op op : ops) {
            List<Op> versions = m.computeIfAbsent(key(op.domain(), op.opType()), k -> new ArrayList<>());
            boolean clash = versions.removeIf(o -> o.sinceVersion() == op.sinceVersion());
            if (clash && !replace) {
                throw new IllegalArgumentException("op " + name(op.domain(), op.opType()) + " (since opset " + op.sinceVersion()
                        + ") registered twice");
            }
            versions.add(op);
            versions.sort(Comparator.comparingLong(Op::sinceVersion));
        }
        m.replaceAll((k, v) -> List.copyOf(v));
        OpRegistry r = new OpRegistry(Map.copyOf(m));
        r.checkActivationNames();
        return r;
    }

    /** Standard ops are keyed by type alone; ops of another domain by "domain::type". */
    private static String key(String domain, String opType) {
        return isStandard(domain) ? opType : domain + "::" + opType;
    }

    private static boolean isStandard(String domain) { return domain.isEmpty() || domain.equals("ai.onnx"); }

    private static String name(String domain, String opType) { return isStandard(domain) ? opType : domain + "::" + opType; }

    /** The op for a node in a model of the given (default-domain) opset, if Orbit knows it. */
    public Optional<Op> find(Node node, long opset) {
        List<Op> versions = byKey.get(key(node.domain(), node.opType()));
        if (versions == null) return Optional.empty();
        Op chosen = versions.getFirst();
        for (Op op : versions) if (op.sinceVersion() <= opset) chosen = op;
        return Optional.of(chosen);
    }

    /** Like {@link #find}, failing with the message users see when an op cannot be evaluated. */
    public Op require(Node node, long opset) {
        return find(node, opset).orElseThrow(() -> new UnsupportedOpException("Orbit cannot evaluate op '" + node.opType() + "'"
                + (node.isStandardDomain() ? "" : " of domain '" + node.domain() + "'") + " (node '" + node.label()
                + "'); the model still imports and exports unchanged"));
    }

    /** "Type" for standard ops, "domain::Type" for others, sorted. */
    public Set<String> supportedOps() { return new TreeSet<>(byKey.keySet()); }

    /** Every op, each version once. */
    public List<Op> ops() { return byKey.values().stream().flatMap(List::stream).toList(); }

    // ---- the activation vocabulary: the elementwise ops, by the names a spec or an option uses

    /**
     * The activation a name stands for: an elementwise op's name ("relu", "tanh", "hard-tanh", ...), for ops
     * with a parameter optionally followed by it ("leakyrelu0.1"). Case and surrounding spaces do not matter.
     * Throws {@link IllegalArgumentException} naming the accepted names.
     */
    public Activation activation(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        ElementwiseOp best = null;
        String bestName = "";
        for (ElementwiseOp op : elementwise()) {
            for (String n : op.names()) {
                boolean match = t.equals(n) || op.takesParameter() && t.startsWith(n);
                if (match && n.length() > bestName.length()) {
                    best = op;
                    bestName = n;
                }
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("unknown activation '" + text + "' (one of " + String.join(", ", activationNames()) + ")");
        }
        return best.activation(t.substring(bestName.length()));
    }

    /** The accepted activation names, an op's parameter shown as [SLOPE] etc. */
    public List<String> activationNames() {
        List<String> names = new ArrayList<>();
        for (ElementwiseOp op : elementwise()) {
            if (op.names().isEmpty()) continue;
            names.add(op.names().getFirst() + (op.takesParameter() ? "[" + op.parameterName() + "]" : ""));
        }
        names.sort(null);
        return names;
    }

    private List<ElementwiseOp> elementwise() {
        List<ElementwiseOp> out = new ArrayList<>();
        for (Op op : ops()) if (op instanceof ElementwiseOp e) out.add(e);
        return out;
    }

    private void checkActivationNames() {
        Map<String, String> seen = new LinkedHashMap<>();
        for (ElementwiseOp op : elementwise()) {
            for (String n : op.names()) {
                String before = seen.put(n, name(op.domain(), op.opType()));
                if (before != null) {
                    throw new IllegalArgumentException("activation name '" + n + "' is claimed by " + before + " and "
                            + name(op.domain(), op.opType()));
                }
            }
        }
    }
}
