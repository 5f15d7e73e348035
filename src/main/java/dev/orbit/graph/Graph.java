package dev.orbit.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.orbit.tensor.NdArray;

/**
 * The IR: nodes in topological order, the graph's inputs and outputs, and its parameters (constant tensors,
 * whether the file stored them as initializers or as Constant nodes). Immutable: rewrites return new graphs
 * that share untouched parameters.
 */
public final class Graph {
    private final String name;
    private final List<ValueInfo> inputs;
    private final List<ValueInfo> outputs;
    private final List<Node> nodes;
    private final Map<String, NdArray> parameters;
    private final Map<String, ValueInfo> valueInfo;
    private final String docString;
    /** Values a sub-graph reads from its enclosing graphs by name; empty for a model's main graph. */
    private final Set<String> outerReads;

    public Graph(String name, List<ValueInfo> inputs, List<ValueInfo> outputs, List<Node> nodes,
                 Map<String, NdArray> parameters, Map<String, ValueInfo> valueInfo, String docString) {
        this(name, inputs, outputs, nodes, parameters, valueInfo, docString, Set.of());
    }

    /**
     * A sub-graph (a node attribute): like the constructor, but a value no node, input or parameter of its own
     * provides is an outer-scope reference, read from the enclosing graphs when it runs ({@link #outerReads()}).
     */
    public static Graph subgraph(String name, List<ValueInfo> inputs, List<ValueInfo> outputs, List<Node> nodes,
                                 Map<String, NdArray> parameters, Map<String, ValueInfo> valueInfo, String docString) {
        Set<String> own = new HashSet<>(parameters.keySet());
        for (ValueInfo v : inputs) own.add(v.name());
        for (Node n : nodes) own.addAll(n.outputs());
        own.add("");
        Set<String> outer = new java.util.LinkedHashSet<>();
        for (Node n : nodes) for (String in : n.readValues()) if (!own.contains(in)) outer.add(in);
        for (ValueInfo o : outputs) if (!own.contains(o.name())) outer.add(o.name());
        return new Graph(name, inputs, outputs, nodes, parameters, valueInfo, docString, outer);
    }

    private Graph(String name, List<ValueInfo> inputs, List<ValueInfo> outputs, List<Node> nodes,
                  Map<String, NdArray> parameters, Map<String, ValueInfo> valueInfo, String docString, Set<String> outerReads) {
        this.outerReads = Collections.unmodifiableSet(new java.util.LinkedHashSet<>(outerReads));
        this.name = name == null ? "" : name;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        this.valueInfo = Collections.unmodifiableMap(new LinkedHashMap<>(valueInfo));
        this.docString = docString == null ? "" : docString;
        this.nodes = List.copyOf(topologicalOrder(nodes, definedOutside()));
        checkOutputsDefined();
    }

    public String name() { return name; }

    public List<ValueInfo> inputs() { return inputs; }

    public List<ValueInfo> outputs() { return outputs; }

    public List<Node> nodes() { return nodes; }

    public Map<String, NdArray> parameters() { return parameters; }

    public Map<String, ValueInfo> valueInfo() { return valueInfo; }

    public String docString() { return docString; }

    /** The values this sub-graph reads from its enclosing graphs (outer-scope references); empty for a main graph. */
    public Set<String> outerReads() { return outerReads; }

    public boolean isParameter(String value) { return parameters.containsKey(value); }

    public NdArray parameter(String value) { return parameters.get(value); }

    public long parameterCount() {
        return parameters.values().stream().filter(a -> a.dtype().isFloating()).mapToLong(NdArray::size).sum();
    }

    /** The node that produces a value, or null for inputs and parameters. */
    public Node producer(String value) {
        for (Node n : nodes) if (n.outputs().contains(value)) return n;
        return null;
    }

    /** Every node that reads a value. */
    public List<Node> consumers(String value) {
        List<Node> out = new ArrayList<>();
        for (Node n : nodes) if (n.readValues().contains(value)) out.add(n);
        return out;
    }

    /** A copy with some parameters replaced (same names); everything else shared. */
    public Graph withParameters(Map<String, NdArray> replaced) {
        Map<String, NdArray> p = new LinkedHashMap<>(parameters);
        for (var e : replaced.entrySet()) {
            if (!p.containsKey(e.getKey())) throw new IllegalArgumentException("no parameter named " + e.getKey());
            p.put(e.getKey(), e.getValue());
        }
        return new Graph(name, inputs, outputs, nodes, p, valueInfo, docString, outerReads);
    }

    /** A copy with new nodes and parameters (a structural rewrite). */
    public Graph withNodes(List<Node> newNodes, Map<String, NdArray> newParameters) {
        return new Graph(name, inputs, outputs, newNodes, newParameters, valueInfo, docString, outerReads);
    }

    public Graph withInputs(List<ValueInfo> newInputs) {
        return new Graph(name, newInputs, outputs, nodes, parameters, valueInfo, docString, outerReads);
    }

    private Set<String> definedOutside() {
        Set<String> defined = new HashSet<>(parameters.keySet());
        defined.addAll(outerReads);
        for (ValueInfo v : inputs) defined.add(v.name());
        defined.add("");
        return defined;
    }

    /** Kahn's algorithm, stable with respect to file order; names the first value nobody provides. */
    private static List<Node> topologicalOrder(List<Node> nodes, Set<String> defined) {
        Map<String, Integer> producerOf = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (String o : nodes.get(i).outputs()) {
                if (o.isEmpty()) continue;
                if (producerOf.put(o, i) != null || defined.contains(o) && !o.isEmpty()) {
                    throw new ModelFormatException("value '" + o + "' is defined more than once");
                }
            }
        }
        int[] pending = new int[nodes.size()];
        Map<Integer, List<Integer>> dependents = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            for (String in : new HashSet<>(n.readValues())) {
                if (defined.contains(in)) continue;
                Integer p = producerOf.get(in);
                if (p == null) {
                    throw new ModelFormatException("node '" + n.label() + "' (" + n.opType() + ") reads '" + in
                            + "', which no node, graph input or initializer provides");
                }
                pending[i]++;
                dependents.computeIfAbsent(p, k -> new ArrayList<>()).add(i);
            }
        }
        var ready = new java.util.PriorityQueue<Integer>();
        for (int i = 0; i < nodes.size(); i++) if (pending[i] == 0) ready.add(i);
        List<Node> order = new ArrayList<>(nodes.size());
        while (!ready.isEmpty()) {
            int i = ready.poll();
            order.add(nodes.get(i));
            for (int d : dependents.getOrDefault(i, List.of())) if (--pending[d] == 0) ready.add(d);
        }
        if (order.size() != nodes.size()) throw new ModelFormatException("the graph has a cycle");
        return order;
    }

    private void checkOutputsDefined() {
        Set<String> defined = definedOutside();
        for (Node n : nodes) defined.addAll(n.outputs());
        for (ValueInfo o : outputs) {
            // "" names an omitted optional value of a node, never a graph output (a fuzz finding: it evaluated to null)
            if (o.name().isEmpty()) throw new ModelFormatException("a graph output has an empty name");
            if (!defined.contains(o.name())) {
                throw new ModelFormatException("graph output '" + o.name() + "' is not produced by any node");
            }
        }
    }

    /** Values in evaluation order after each node: used to free intermediates early. */
    public Map<String, Integer> lastUse() {
        Map<String, Integer> last = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) for (String in : nodes.get(i).readValues()) last.put(in, i);
        for (ValueInfo o : outputs) last.put(o.name(), Integer.MAX_VALUE);
        return last;
    }

    /** Breadth-first list of every value name, for diagnostics. */
    public List<String> allValueNames() {
        List<String> names = new ArrayList<>();
        for (ValueInfo v : inputs) names.add(v.name());
        names.addAll(parameters.keySet());
        var q = new ArrayDeque<>(nodes);
        while (!q.isEmpty()) names.addAll(q.poll().outputs());
        return names;
    }
}
