package dev.orbit.ops;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import dev.orbit.graph.Node;

/** Finds the room of an op. Adding an op family means adding one file and one line here. */
public final class OpRegistry {
    private static final ActivationOps ACTIVATIONS = new ActivationOps();
    private static final List<OpFamily> FAMILIES = List.of(
            new LinearOps(),
            ACTIVATIONS,
            new ConvOps(), new PoolOps(), new NormalizationOps(), new ResizeOps(), new PadOps(),
            new ShapeOps(), new IndexingOps(), new ReduceOps(), new SoftmaxOps(), new ConstantOps(),
            new ArithmeticOps(),
            new HyperbolicLengthOps(), new EuclideanLengthOps());

    private static final Map<String, OpFamily> BY_TYPE = index();

    private OpRegistry() {}

    private static Map<String, OpFamily> index() {
        Map<String, OpFamily> m = new HashMap<>();
        for (OpFamily f : FAMILIES) {
            for (String t : f.opTypes()) {
                if (m.put(key(f.domain(), t), f) != null) throw new IllegalStateException("op " + t + " registered twice");
            }
        }
        return m;
    }

    /** Standard ops are keyed by type alone; ops of another domain by "domain::type". */
    private static String key(String domain, String opType) {
        return domain.isEmpty() || domain.equals("ai.onnx") ? opType : domain + "::" + opType;
    }

    /** The family for a node, if Orbit knows its op. */
    public static Optional<OpFamily> find(Node node) {
        return Optional.ofNullable(BY_TYPE.get(key(node.domain(), node.opType())));
    }

    /** The room whose symmetry rule covers a node: its own, or the activations' for the few it analyses only. */
    public static Optional<OpFamily> findSpaceRule(Node node) {
        if (node.isStandardDomain() && ActivationOps.SPACE_RULE_ONLY.contains(node.opType())) return Optional.of(ACTIVATIONS);
        return find(node);
    }

    public static OpFamily require(Node node) {
        return find(node).orElseThrow(() -> new UnsupportedOpException("Orbit cannot evaluate op '" + node.opType() + "'"
                + (node.isStandardDomain() ? "" : " of domain '" + node.domain() + "'") + " (node '" + node.label()
                + "'); the model still imports and exports unchanged"));
    }

    public static Set<String> supportedOps() { return new TreeSet<>(BY_TYPE.keySet()); }
}
