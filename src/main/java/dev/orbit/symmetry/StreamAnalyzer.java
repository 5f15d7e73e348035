package dev.orbit.symmetry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.orbit.eval.ShapeInference;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.graph.ValueInfo;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.OpRegistry;
import dev.orbit.ops.standard.StandardOps;
import dev.orbit.tensor.NdArray;

/**
 * Finds residual streams: values joined by additions of two activations and by ops that keep the last (channel)
 * axis whole and act on each channel vector linearly and alike (Transpose and Reshape that keep it last,
 * Gather, Slice and ReduceMean over other axes, scalar factors, per-channel constants added — rotated with the
 * stream). Gain-free RMSNorms join their input and output (they commute with orthogonal maps). On the boundary
 * every producer must be a linear writer (MatMul/Gemm with constant W, Gather from a constant table) and every
 * consumer a linear reader; anything else blocks the rotation and is named.
 */
final class StreamAnalyzer {
    /** One connected set of values. {@code terminalNorms}: norms that read it but do not join it. */
    record Component(Set<String> values, long size, List<BlockTouch> writers, List<BlockTouch> readers,
                     List<Norm> joinedNorms, List<Norm> terminalNorms, List<String> blockers, boolean residual, String origin) {}

    private final Graph graph;
    private final Map<String, ValueType> types;
    private final List<Norm> norms;
    private final boolean normsJoin;
    private final Map<String, Integer> ids = new HashMap<>();
    private final UnionFind uf = new UnionFind();
    /** Nodes inside joined norms (their internals are neither writers nor readers). */
    private final Set<Node> normInternals = new HashSet<>();
    /** Nodes of every norm: never connectors, so a norm's output is produced by the norm. */
    private final Set<Node> allNormNodes = new HashSet<>();
    private final Set<Node> connectors = new HashSet<>();
    /** Constants a connector adds to or joins with the stream (x + c, Concat with a class token): they rotate too. */
    private final Map<Node, List<BlockTouch>> constantTouch = new HashMap<>();

    private StreamAnalyzer(Model model, boolean normsJoin, OpRegistry registry) {
        this.graph = model.graph();
        this.types = ShapeInference.infer(model, registry);
        this.norms = NormFinder.find(graph, types);
        this.normsJoin = normsJoin;
    }

    /** Streams for rotations: gain-free RMSNorms join the stream. */
    static List<ResidualStream> streams(Model model, OpRegistry registry) {
        List<ResidualStream> out = new ArrayList<>();
        for (Component c : new StreamAnalyzer(model, true, registry).components()) {
            // a stream is something linear maps write into: residual joins of scores (masks) are not streams
            if (c.writers().isEmpty() || !c.residual() && c.joinedNorms().isEmpty()) continue;
            boolean ok = c.blockers().isEmpty() && !c.writers().isEmpty() && !c.readers().isEmpty();
            String reason = !c.blockers().isEmpty() ? c.blockers().getFirst()
                    : c.writers().isEmpty() ? "nothing writes into it through a linear map" : c.readers().isEmpty() ? "no linear map reads it" : "";
            out.add(new ResidualStream(out.size(), Math.toIntExact(c.size()), c.writers(), c.readers(), c.joinedNorms().size(), ok, reason, c.origin(),
                    List.copyOf(c.values())));
        }
        return out;
    }

    /** Components with every norm as a terminal reader (for folding: which writers feed which norms). */
    static List<Component> beforeNorms(Model model) {
        return new StreamAnalyzer(model, false, StandardOps.registry()).components();
    }

    private int id(String v) { return ids.computeIfAbsent(v, k -> uf.add()); }

    private void join(String a, String b) { uf.union(id(a), id(b)); }

    private boolean isParam(String v) { return !v.isEmpty() && graph.isParameter(v); }

    private int rank(String v) {
        ValueType t = types.get(v);
        return t == null || t.shape() == null ? -1 : t.shape().rank();
    }

    private long lastDim(String v) {
        ValueType t = types.get(v);
        if (t == null || t.shape() == null || t.shape().rank() == 0 || !t.shape().dim(-1).isKnown()) return -1;
        return t.shape().dim(-1).size();
    }

    private long normalisedAxis(long a, int r) { return a < 0 ? a + r : a; }

    private boolean joinable(Norm n) { return normsJoin && n.kind() == Norm.Kind.RMS_NORM && !n.hasAffine(); }

    private List<Component> components() {
        for (Norm n : norms) {
            allNormNodes.addAll(n.nodes());
            if (joinable(n)) {
                normInternals.addAll(n.nodes());
                join(n.input(), n.output());
            }
        }
        for (Node n : graph.nodes()) if (!normInternals.contains(n)) connect(n);
        Map<Integer, Set<String>> groups = new LinkedHashMap<>();
        for (var e : ids.entrySet()) groups.computeIfAbsent(uf.find(e.getValue()), k -> new LinkedHashSet<>()).add(e.getKey());
        List<Component> out = new ArrayList<>();
        for (Node n : graph.nodes()) {
            for (String o : n.outputs()) {
                Integer i = ids.get(o);
                if (i == null) continue;
                Set<String> values = groups.remove(uf.find(i));
                if (values != null) out.add(boundary(values));
            }
        }
        for (Set<String> values : groups.values()) out.add(boundary(values));
        return out;
    }

    /** Joins a node's stream input and output when the node acts on every channel vector alike and linearly. */
    private void connect(Node n) {
        if (n.outputs().isEmpty() || n.inputs().isEmpty() || allNormNodes.contains(n)) return;
        boolean addLike = n.opType().equals("Add") || n.opType().equals("Sub");
        if (n.opType().equals("Concat")) {
            concat(n);
            return;
        }
        String in = addLike && constant(n.input(0), lastDim(n.input(0))) != null ? n.input(1) : n.input(0);
        if (in.isEmpty() || isParam(in)) return;
        String out = n.output(0);
        long d = lastDim(in);
        if (d <= 0 || lastDim(out) != d) return;
        int r = rank(in);
        boolean keeps = switch (n.opType()) {
            case "Identity", "Dropout" -> true;
            case "Cast" -> types.get(out) != null && types.get(out).dtype().isFloating();
            case "Transpose" -> {
                long[] perm = n.attributes().getInts("perm", null);
                yield perm != null && perm[perm.length - 1] == perm.length - 1;
            }
            case "Reshape", "Squeeze", "Unsqueeze", "Flatten" -> true; // last dim unchanged (checked above) and row-major
            case "ReduceMean", "ReduceSum" -> {
                long[] axes = n.attributes().getInts("axes", null);
                if (axes == null && isParam(n.input(1))) axes = graph.parameter(n.input(1)).toLongArray();
                boolean ok = axes != null && axes.length > 0;
                if (ok) for (long a : axes) ok &= normalisedAxis(a, r) != r - 1;
                yield ok;
            }
            case "Gather" -> normalisedAxis(n.attributes().getInt("axis", 0), r) != r - 1;
            case "Slice" -> {
                long[] axes = n.inputs().size() > 3 && isParam(n.input(3)) ? graph.parameter(n.input(3)).toLongArray() : null;
                boolean ok = axes != null;
                if (ok) for (long a : axes) ok &= normalisedAxis(a, r) != r - 1;
                yield ok;
            }
            case "Pad" -> ZeroPadding.keepsLastAxis(n, graph, types, r); // zero rows stay zero under x → x·Q
            case "Mul", "Div" -> isParam(n.input(1)) && graph.parameter(n.input(1)).size() == 1 && !isParam(in);
            case "Add", "Sub" -> addLike(n.input(0).equals(in) ? n.input(1) : n.input(0), d);
            default -> false;
        };
        if (!keeps) return;
        connectors.add(n);
        join(in, out);
        if (addLike) {
            String other = n.input(0).equals(in) ? n.input(1) : n.input(0);
            BlockTouch c = constant(other, d);
            if (c != null) constantTouch.put(n, List.of(c));
            else join(other, out);
        }
    }

    /** Concat along a token axis (a class token before the patches): activations join, constants are writers. */
    private void concat(Node n) {
        String out = n.output(0);
        long d = lastDim(out);
        int r = rank(out);
        if (d <= 0 || normalisedAxis(n.attributes().getInt("axis", 0), r) == r - 1) return;
        List<BlockTouch> constants = new ArrayList<>();
        List<String> joined = new ArrayList<>();
        for (String in : n.inputs()) {
            if (lastDim(in) != d) return;
            BlockTouch c = constant(in, d);
            if (c != null) constants.add(c);
            else joined.add(in);
        }
        if (joined.isEmpty()) return;
        connectors.add(n);
        for (String in : joined) join(in, out);
        if (!constants.isEmpty()) constantTouch.put(n, constants);
    }

    /**
     * The parameter axis a constant operand re-indexes along its last (channel) axis: a parameter, or one moved only
     * along other axes (a position table sliced to the sequence length, a class token expanded over the batch).
     * (x + c)·Q = x·Q + c·Q for any such c, whatever its other axes. Null when the value is not such a constant.
     */
    private BlockTouch constant(String v, long d) {
        for (int depth = 0; depth < 16 && !v.isEmpty() && d > 0 && lastDim(v) == d; depth++) {
            if (isParam(v)) {
                NdArray c = graph.parameter(v);
                return c.rank() == 0 || c.dim(-1) != d ? null : new BlockTouch(v, c.rank() - 1, 0);
            }
            Node p = graph.producer(v);
            if (p == null || p.inputs().isEmpty()) return null;
            String in = p.input(0);
            int r = rank(in);
            boolean keepsLast = switch (p.opType()) {
                case "Identity", "Expand", "Unsqueeze", "Squeeze", "Reshape", "Flatten" -> true; // last dim checked, row-major
                case "Cast" -> types.get(v) != null && types.get(v).dtype().isFloating();
                case "Slice" -> {
                    long[] axes = p.inputs().size() > 3 && isParam(p.input(3)) ? graph.parameter(p.input(3)).toLongArray() : null;
                    boolean ok = axes != null;
                    if (ok) for (long a : axes) ok &= normalisedAxis(a, r) != r - 1;
                    yield ok;
                }
                case "Gather" -> isParam(p.input(1)) && normalisedAxis(p.attributes().getInt("axis", 0), r) != r - 1;
                default -> false;
            };
            if (!keepsLast || r < 1) return null;
            v = in;
        }
        return null;
    }

    /**
     * The other operand of x ± other: an activation of the same width (a residual join), or a constant c whose
     * last axis holds the channels (per channel, or per position and channel like a position table:
     * (x ± c)·Q = x·Q ± c·Q, so c rotates with the stream).
     */
    private boolean addLike(String b, long d) {
        return constant(b, d) != null || !isParam(b) && lastDim(b) == d;
    }

    private Component boundary(Set<String> values) {
        List<BlockTouch> writers = new ArrayList<>();
        List<BlockTouch> readers = new ArrayList<>();
        List<Norm> joined = new ArrayList<>();
        List<Norm> terminal = new ArrayList<>();
        List<String> blockers = new ArrayList<>();
        boolean residual = false;
        String origin = null;
        long size = -1;
        for (String v : values) size = Math.max(size, lastDim(v));
        Set<String> outputs = new HashSet<>();
        for (ValueInfo o : graph.outputs()) outputs.add(o.name());
        Set<Norm> seenNorms = new LinkedHashSet<>();
        for (String v : values) {
            if (outputs.contains(v)) blockers.add("it is a network output ('" + v + "')");
            Node p = graph.producer(v);
            if (p == null) {
                blockers.add(isParam(v) ? "constant '" + v + "' flows into it" : "network input '" + v + "' flows into it");
            } else if (connectors.contains(p)) {
                List<BlockTouch> c = constantTouch.getOrDefault(p, List.of());
                writers.addAll(c);
                if (p.opType().equals("Add") && c.isEmpty()) residual = true;
            } else if (!normInternals.contains(p)) {
                String w = writer(p, writers);
                if (w != null) blockers.add(w);
                else if (origin == null) origin = p.opType() + " '" + p.label() + "'";
            }
            for (Node c : graph.consumers(v)) {
                if (connectors.contains(c) || normInternals.contains(c) || c.opType().equals("Shape")) continue;
                Norm norm = normReading(c, v);
                if (norm != null && !normsJoin) {
                    if (seenNorms.add(norm)) terminal.add(norm);
                    continue;
                }
                String r = reader(c, v, readers);
                if (r != null) blockers.add(r);
            }
        }
        for (Norm n : norms) if (joinable(n) && values.contains(n.input())) joined.add(n);
        return new Component(values, size, dedupe(writers), dedupe(readers), joined, terminal,
                new ArrayList<>(new LinkedHashSet<>(blockers)), residual, origin == null ? "" : origin);
    }

    private static List<BlockTouch> dedupe(List<BlockTouch> t) { return List.copyOf(new LinkedHashSet<>(t)); }

    /** The norm whose sub-graph starts at node {@code c} reading {@code v} as its input, if any. */
    private Norm normReading(Node c, String v) {
        for (Norm n : norms) if (n.input().equals(v) && n.nodes().contains(c)) return n;
        return null;
    }

    /** Records a linear writer; returns why it blocks otherwise. */
    private String writer(Node p, List<BlockTouch> writers) {
        BlockTouch constant = p.outputs().size() == 1 ? constant(p.output(0), lastDim(p.output(0))) : null;
        if (constant != null) {
            writers.add(constant);
            return null;
        }
        String w = p.input(1);
        switch (p.opType()) {
            case "MatMul" -> {
                if (isParam(w) && !isParam(p.input(0)) && graph.parameter(w).rank() == 2) {
                    writers.add(new BlockTouch(w, 1, 0));
                    return null;
                }
            }
            case "Gemm" -> {
                var at = p.attributes();
                if (isParam(w) && at.getInt("transA", 0) == 0 && graph.parameter(w).rank() == 2) {
                    boolean tb = at.getInt("transB", 0) != 0;
                    writers.add(new BlockTouch(w, tb ? 0 : 1, 0));
                    String b = p.input(2);
                    if (!b.isEmpty()) {
                        if (!isParam(b)) return "Gemm '" + p.label() + "' adds a computed bias";
                        NdArray bias = graph.parameter(b);
                        if (bias.rank() == 1 && bias.dim(0) == graph.parameter(w).dim(tb ? 0 : 1)) writers.add(new BlockTouch(b, 0, 0));
                        else if (bias.size() != 1 || bias.getAsDouble(0) != 0) return "Gemm '" + p.label() + "' adds a bias shared across channels";
                    }
                    return null;
                }
            }
            case "Transpose" -> {
                if (convChannelsMovedLast(p, writers)) return null;
            }
            case "Gather" -> {
                String table = p.input(0);
                if (isParam(table) && graph.parameter(table).rank() == 2 && p.attributes().getInt("axis", 0) == 0) {
                    writers.add(new BlockTouch(table, 1, 0));
                    return null;
                }
            }
            default -> { }
        }
        for (Norm n : norms) {
            if (n.output().equals(p.output(0))) {
                return n.describe() + (n.hasAffine() ? " writes into it with a gain or bias (post-norm, or not folded yet)"
                        : n.kind() == Norm.Kind.LAYER_NORM ? ": its mean subtraction does not commute with rotations (fold it first)"
                        : " writes into it");
            }
        }
        return p.opType() + " '" + p.label() + "' writes into it";
    }

    /**
     * A patch embedding: Conv → Reshape (spatial axes flattened, channels kept on axis 1) → Transpose moving the
     * channels last. The conv's output channels (weight axis 0, bias) write into the stream.
     */
    private boolean convChannelsMovedLast(Node t, List<BlockTouch> writers) {
        long[] perm = t.attributes().getInts("perm", null);
        if (perm == null || perm[perm.length - 1] != 1) return false;
        String v = t.input(0);
        Node p = graph.producer(v);
        long d = lastDim(t.output(0));
        while (p != null && (p.opType().equals("Reshape") || p.opType().equals("Flatten") || p.opType().equals("Identity"))) {
            if (!sameAxis1(p.input(0), v, d)) return false;
            v = p.input(0);
            p = graph.producer(v);
        }
        if (p == null || !p.opType().equals("Conv") || !isParam(p.input(1)) || !sameAxis1(p.output(0), v, d)) return false;
        writers.add(new BlockTouch(p.input(1), 0, 0));
        if (p.inputs().size() > 2 && !p.input(2).isEmpty()) {
            if (!isParam(p.input(2))) return false;
            writers.add(new BlockTouch(p.input(2), 0, 0));
        }
        return true;
    }

    /** Both values have {@code d} channels on axis 1 and the same batch axis before it (a row-major regrouping keeps them). */
    private boolean sameAxis1(String a, String b, long d) {
        ValueType ta = types.get(a);
        ValueType tb = types.get(b);
        if (ta == null || tb == null || ta.shape() == null || tb.shape() == null || ta.shape().rank() < 2 || tb.shape().rank() < 2) return false;
        var x = ta.shape().dim(1);
        var y = tb.shape().dim(1);
        return x.isKnown() && y.isKnown() && x.size() == d && y.size() == d;
    }

    /** Records a linear reader; returns why it blocks otherwise. */
    private String reader(Node c, String v, List<BlockTouch> readers) {
        if (linearReader(c, v, readers)) return null;
        int moved = ChannelAxis.through(c, v, rank(v) - 1, graph, types);
        if (moved >= 0) return followed(c.output(0), moved, readers, new HashSet<>());
        for (Norm n : norms) {
            if (n.input().equals(v) && n.nodes().contains(c)) {
                return n.describe() + (n.kind() == Norm.Kind.LAYER_NORM ? " subtracts the mean (removable only when every writer into the stream is centred, as folding does for pre-norm models)"
                        : " has a gain or bias (fold it into the next linear maps first)");
            }
        }
        return c.opType() + " '" + c.label() + "' reads it";
    }

    /** MatMul x·W or Gemm reading {@code v} (channels last) with a constant weight: recorded. */
    private boolean linearReader(Node c, String v, List<BlockTouch> readers) {
        String w = c.input(1);
        if (c.opType().equals("MatMul") && c.input(0).equals(v) && isParam(w) && graph.parameter(w).rank() == 2) {
            readers.add(new BlockTouch(w, 0, 0));
            return true;
        }
        if (c.opType().equals("Gemm") && c.input(0).equals(v) && isParam(w) && c.attributes().getInt("transA", 0) == 0) {
            readers.add(new BlockTouch(w, c.attributes().getInt("transB", 0) != 0 ? 1 : 0, 0));
            return true;
        }
        return false;
    }

    /**
     * A value outside the stream that carries its channels on {@code axis} (moved by a Transpose, pooled, flattened:
     * a classifier head in NCHW code). x → x·Q on the channel axis commutes with every op {@link ChannelAxis}
     * follows, so the stream stays rotatable when every path ends in a linear map reading the channels last.
     */
    private String followed(String v, int axis, List<BlockTouch> readers, Set<String> seen) {
        if (!seen.add(v)) return null;
        if (graph.outputs().stream().anyMatch(o -> o.name().equals(v))) return "it reaches the network output '" + v + "'";
        boolean last = axis == rank(v) - 1;
        for (Node c : graph.consumers(v)) {
            if (c.opType().equals("Shape") || last && linearReader(c, v, readers)) continue;
            int next = ChannelAxis.through(c, v, axis, graph, types);
            if (next < 0) return c.opType() + " '" + c.label() + "' reads it with its channels on axis " + axis;
            String why = followed(c.output(0), next, readers, seen);
            if (why != null) return why;
        }
        return null;
    }
}
