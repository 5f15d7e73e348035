package dev.orbit.symmetry;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.orbit.eval.ShapeInference;
import dev.orbit.graph.Dim;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.graph.ValueInfo;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.Layout;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpRegistry;
import dev.orbit.ops.ParamAxis;
import dev.orbit.ops.Role;
import dev.orbit.ops.Segment;
import dev.orbit.ops.SpaceRules;
import dev.orbit.ops.standard.StandardOps;
import dev.orbit.tensor.NdArray;

/**
 * The space analysis: one pass over the graph that gives every hidden channel axis a neuron space, merges
 * spaces that must move together (union-find), links spaces that must share a permutation, lists the
 * parameter axes each space touches and the activation regions teleportation must rewrite, and restricts
 * or freezes spaces wherever a move could change the function. When unsure it freezes, and says why.
 * The per-op rules live in each op's room ({@link Op#spaceRule}, found in an {@link OpRegistry}); this class keeps
 * the union-find bookkeeping behind the {@link SpaceRules} primitives they call, and resolves the result.
 *
 * <p>Two multi-node patterns take part before the pass: decomposed norms ({@link NormFinder}: the sub-graph is one
 * normalisation, {@link SpaceRules#normalization}) and attention ({@link AttentionAnalyzer}): a projection whose
 * channels are split into heads belongs to a query–key or value–output pair, the values inside the attention are
 * left to that analysis (the per-op rules do not see them), a fused projection's output is cut into its q, k and v
 * parts, and those parts become head-structured spaces (whole heads permute, jointly over q, k, v, the output
 * projection's rows and any per-head score bias; inside a head only the pair's matrices act).
 */
public final class SpaceAnalyzer implements SpaceRules, ValueShapes {
    private final Model model;
    private final Graph graph;
    private final OpRegistry registry;
    private final Map<String, ValueType> types;
    /** The same with the batch set to a probe size: how reshapes regroup axes. */
    private final Map<String, ValueType> probeTypes;

    private final UnionFind merged = new UnionFind();
    private final UnionFind permLinked = new UnionFind();
    private final List<Long> sizes = new ArrayList<>();
    private final List<String> origins = new ArrayList<>();
    /** Per space: channels per permuted block (heads) and tiles (a permutation repeated), see {@link NeuronSpace}. */
    private final List<Long> blocks = new ArrayList<>();
    private final List<Long> tiles = new ArrayList<>();
    /** Spaces replaced by their parts (a fused projection cut into q, k, v). */
    private final BitSet dead = new BitSet();
    /** Spaces some union touched (not split afterwards). */
    private final BitSet joined = new BitSet();
    private final Map<Integer, String> frozen = new HashMap<>();
    private final Map<Integer, String> noPerm = new HashMap<>();
    private final Map<Integer, String> noScale = new HashMap<>();
    private final Map<Integer, String> positiveOnly = new HashMap<>();
    private final List<Touch> touches = new ArrayList<>();
    private final Map<String, Layout> layouts = new HashMap<>();
    private final Map<Integer, Boolean> regionNodes = new TreeMap<>(); // node index → positively homogeneous
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Integer> producerIndex = new HashMap<>();
    private int visiting; // index of the node whose rule is running: its region membership is keyed by it

    // multi-node patterns
    private AttentionAnalyzer.Result attention;
    private final Map<Node, Norm> normAt = new HashMap<>();
    private final Set<Node> normNodes = new HashSet<>();
    /** Values inside attention (split into heads, scores, P·v): left to the attention analysis. */
    private Set<String> owned = Set.of();
    /** Per (parameter, axis) of a fused projection: where its q, k and v parts begin and end. */
    private final Map<ParamAxis, TreeSet<Long>> cuts = new HashMap<>();
    /** Spaces whose values enter the attention analysis. */
    private final Set<Integer> enteringAttention = new LinkedHashSet<>();
    private final Set<Integer> outputSpaceIds = new HashSet<>();

    private record Touch(int space, ParamTouch touch) {}

    private SpaceAnalyzer(Model model, OpRegistry registry) {
        this.model = model;
        this.graph = model.graph();
        this.registry = registry;
        this.types = ShapeInference.infer(model, registry);
        this.probeTypes = AttentionAnalyzer.probeTypes(model, registry);
    }

    /** The analysis with Orbit's standard ops. */
    public static SymmetryAnalysis analyze(Model model) { return analyze(model, StandardOps.registry()); }

    /** The analysis with the symmetry rules of {@code registry}'s ops (ops it lacks freeze their inputs). */
    public static SymmetryAnalysis analyze(Model model, OpRegistry registry) {
        return new SpaceAnalyzer(model, registry).run();
    }

    private SymmetryAnalysis run() {
        List<Node> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) for (String o : nodes.get(i).outputs()) producerIndex.put(o, i);
        attention = AttentionAnalyzer.analyze(model, probeTypes);
        owned = attention.owned();
        for (LinearPair p : attention.pairs()) {
            cut(p.left(), p.kind() == LinearPair.Kind.QUERY_KEY ? p.heads() : p.kvHeads(), p.headDim());
            if (p.kind() == LinearPair.Kind.QUERY_KEY) cut(p.right(), p.kvHeads(), p.headDim());
        }
        for (Norm norm : NormFinder.find(graph, types)) {
            if (norm.singleOp()) continue; // the op's own room has the rule
            normNodes.addAll(norm.nodes());
            Node last = graph.producer(norm.output());
            if (last != null) normAt.put(last, norm);
        }
        for (int i = 0; i < nodes.size(); i++) visit(i, nodes.get(i));
        for (Node n : nodes) freezeReadByName(n);
        for (ValueInfo out : graph.outputs()) {
            freeze(out.name(), "network output '" + out.name() + "' is fixed");
            Layout l = layout(out.name());
            if (l != null) for (Segment s : l.segments()) outputSpaceIds.add(s.space());
        }
        new AttentionSpaces(this).apply();
        return resolve();
    }

    /**
     * Values a node's sub-graphs read by name (If's branches, Loop's and Scan's bodies): a move does not reach into
     * sub-graphs, so every space through such a value, and every space touching such a parameter, stays fixed.
     */
    private void freezeReadByName(Node n) {
        for (String v : n.implicitInputs()) {
            String reason = SpaceRules.label(n) + ": its sub-graph reads '" + v + "' by name, and a move does not reach into sub-graphs";
            freeze(v, reason);
            if (!graph.isParameter(v)) continue;
            for (Touch t : touches) if (t.touch().parameter().equals(v)) freezeSpace(t.space(), reason);
        }
    }

    private void cut(List<BlockTouch> side, int heads, int headDim) {
        for (BlockTouch t : side) {
            TreeSet<Long> c = cuts.computeIfAbsent(new ParamAxis(t.parameter(), t.axis()), k -> new TreeSet<>());
            c.add(t.offset());
            c.add(t.offset() + (long) heads * headDim);
        }
    }

    /** Each op's rule lives in its room ({@link Op#spaceRule}); ops the registry lacks are frozen. */
    private void visit(int index, Node n) {
        visiting = index;
        if (normNodes.contains(n)) {
            Norm norm = normAt.get(n);
            if (norm != null) normalization(norm.describe(), norm.input(), norm.output(), norm.gain(), norm.bias(), rank(norm.input()) - 1);
            return;
        }
        if (n.outputs().stream().anyMatch(owned::contains)) {
            // the attention analysis understands this node; what enters it is claimed by a pair below
            for (String in : n.inputs()) {
                Layout l = layout(in);
                if (l != null) for (Segment s : l.segments()) enteringAttention.add(s.space());
            }
            return;
        }
        int before = sizes.size();
        registry.find(n, model.opset()).ifPresentOrElse(op -> op.spaceRule(n, this), () -> freezeUnknown(n));
        splitFresh(n, before);
    }

    /**
     * A fused projection (q, k and v in one weight) first gets one space on its output channels; where the
     * attention analysis found the parts, that fresh space is replaced by one space per part.
     */
    private void splitFresh(Node n, int before) {
        for (int s = before; s < sizes.size(); s++) {
            if (joined.get(s) || dead.get(s)) continue;
            TreeSet<Long> local = new TreeSet<>();
            for (Touch t : touches) {
                if (t.space() != s || t.touch().role() != Role.COVARIANT) continue;
                TreeSet<Long> c = cuts.get(new ParamAxis(t.touch().parameter(), t.touch().axis()));
                if (c == null) continue;
                long rep = t.touch().repeat();
                for (long x : c) {
                    long rel = x - t.touch().offset();
                    if (rel > 0 && rel < sizes.get(s) * rep && rel % rep == 0) local.add(rel / rep);
                }
            }
            if (!local.isEmpty()) split(n, s, local);
        }
    }

    private void split(Node n, int s, TreeSet<Long> at) {
        List<Long> bounds = new ArrayList<>();
        bounds.add(0L);
        bounds.addAll(at);
        bounds.add(sizes.get(s));
        List<Segment> parts = new ArrayList<>();
        for (int i = 0; i + 1 < bounds.size(); i++) {
            long lo = bounds.get(i);
            long len = bounds.get(i + 1) - lo;
            int p = newSpace(len, origins.get(s) + " [" + lo + ":" + (lo + len) + "]");
            for (Map<Integer, String> m : List.of(frozen, noPerm, noScale, positiveOnly)) if (m.containsKey(s)) m.put(p, m.get(s));
            for (Touch t : List.copyOf(touches)) {
                if (t.space() != s) continue;
                ParamTouch o = t.touch();
                touches.add(new Touch(p, new ParamTouch(o.parameter(), o.axis(), o.role(), o.offset() + lo * o.repeat(), o.repeat())));
            }
            parts.add(new Segment(p, len, 1));
        }
        touches.removeIf(t -> t.space() == s);
        dead.set(s);
        for (String out : n.outputs()) {
            Layout l = layouts.get(out);
            if (l == null) continue;
            List<Segment> segs = new ArrayList<>();
            for (Segment g : l.segments()) {
                if (g.space() != s) {
                    segs.add(g);
                    continue;
                }
                for (Segment part : parts) segs.add(new Segment(part.space(), part.size(), g.repeat()));
            }
            layouts.put(out, new Layout(l.axis(), segs));
        }
    }

    // ---- the primitives the rules use (SpaceRules) ----

    @Override
    public int newSpace(long size, String origin) {
        int a = merged.add();
        int b = permLinked.add();
        assert a == b;
        sizes.add(size);
        origins.add(origin);
        blocks.add(1L);
        tiles.add(1L);
        return a;
    }

    @Override
    public Layout linkedCopy(Layout l, String origin) {
        List<Segment> segs = l.segments();
        boolean oneSpace = segs.size() > 1;
        for (Segment s : segs) {
            Segment f = segs.getFirst();
            oneSpace &= merged.find(s.space()) == merged.find(f.space()) && s.size() == f.size() && s.repeat() == 1 && f.repeat() == 1;
        }
        if (oneSpace) {
            Segment f = segs.getFirst();
            int t = newSpace(f.size() * segs.size(), origin);
            blocks.set(t, blocks.get(f.space()));
            tiles.set(t, tiles.get(f.space()) * segs.size());
            linkPerm(t, f.space());
            return new Layout(l.axis(), List.of(new Segment(t, f.size() * segs.size(), 1)));
        }
        List<Segment> out = new ArrayList<>();
        for (Segment s : segs) {
            int t = newSpace(s.size(), origin);
            blocks.set(t, blocks.get(s.space()));
            tiles.set(t, tiles.get(s.space()));
            linkPerm(t, s.space());
            out.add(new Segment(t, s.size(), s.repeat()));
        }
        return new Layout(l.axis(), out);
    }

    @Override
    public void touch(int space, String param, int axis, Role role, long offset, long repeat) {
        touches.add(new Touch(space, new ParamTouch(param, axis, role, offset, repeat)));
    }

    /** A parameter axis whose entries follow whole blocks of {@code unit} channels of a space (permuted only). */
    void touchBlocks(int space, String param, int axis, long offset, long unit) {
        touches.add(new Touch(space, new ParamTouch(param, axis, Role.PERMUTE_ONLY, offset, 1, unit)));
    }

    @Override
    public void touchLayout(Layout l, String param, int axis, Role role) {
        long offset = 0;
        for (Segment s : l.segments()) {
            touch(s.space(), param, axis, role, offset, s.repeat());
            offset += s.length();
        }
    }

    @Override
    public Layout layout(String value) { return value.isEmpty() || owned.contains(value) ? null : layouts.get(value); }

    @Override
    public void setLayout(String value, Layout layout) { if (!owned.contains(value)) layouts.put(value, layout); }

    @Override
    public void freeze(String value, String reason) {
        Layout l = layout(value);
        if (l != null) for (Segment s : l.segments()) frozen.putIfAbsent(s.space(), reason);
    }

    @Override
    public void freezeSpace(int space, String reason) { frozen.putIfAbsent(space, reason); }

    @Override
    public void forbidPermutation(int space, String reason) { noPerm.putIfAbsent(space, reason); }

    @Override
    public void forbidPermutation(Layout l, String reason) { restrict(l, noPerm, reason); }

    @Override
    public void forbidScaling(Layout l, String reason) { restrict(l, noScale, reason); }

    void forbidScaling(int space, String reason) { noScale.putIfAbsent(space, reason); }

    @Override
    public void positiveScalingOnly(Layout l, String reason) { restrict(l, positiveOnly, reason); }

    private void restrict(Layout l, Map<Integer, String> kind, String reason) {
        if (l != null) for (Segment s : l.segments()) kind.putIfAbsent(s.space(), reason);
    }

    @Override
    public boolean isParam(String v) { return !v.isEmpty() && graph.isParameter(v); }

    @Override
    public NdArray parameter(String v) { return graph.parameter(v); }

    @Override
    public ValueType type(String v) { return types.get(v); }

    @Override
    public long opset() { return model.opset(); }

    @Override
    public int rank(String v) {
        if (isParam(v)) return graph.parameter(v).rank();
        ValueType t = types.get(v);
        return t == null || t.shape() == null ? -1 : t.shape().rank();
    }

    @Override
    public long dim(String v, int axis) {
        if (isParam(v)) return axis >= 0 && axis < graph.parameter(v).rank() ? graph.parameter(v).dim(axis) : -1;
        ValueType t = types.get(v);
        if (t == null || t.shape() == null || axis < 0 || axis >= t.shape().rank()) return -1;
        Dim d = t.shape().dim(axis);
        return d.isKnown() ? d.size() : -1;
    }

    /** Every dimension, with a dynamic batch set to a probe size when the shape is not otherwise known. */
    @Override
    public long[] shape(String v) {
        if (isParam(v)) return graph.parameter(v).shape();
        for (ValueType t : new ValueType[] {types.get(v), probeTypes.get(v)}) {
            if (t != null && t.shape() != null && t.shape().isFullyKnown()) return t.shape().sizes();
        }
        return null;
    }

    @Override
    public long[] intValues(String v) {
        if (v.isEmpty()) return null;
        if (isParam(v)) {
            NdArray a = graph.parameter(v);
            return a.dtype().isFloating() ? null : a.toLongArray();
        }
        ValueType t = types.get(v);
        if (t == null || !t.hasIntValues()) return null;
        long[] out = new long[t.intValues().size()];
        for (int i = 0; i < out.length; i++) {
            if (!(t.intValues().get(i) instanceof Dim.Known(long s))) return null;
            out[i] = s;
        }
        return out;
    }

    @Override
    public ParamAxis constantAxis(String value, int axis) { return ConstantAxes.trace(this, graph, value, axis); }

    @Override
    public boolean dependsOn(String value, String ancestor) {
        if (value.equals(ancestor)) return true;
        Set<String> seen = new HashSet<>();
        List<String> stack = new ArrayList<>(List.of(value));
        while (!stack.isEmpty()) {
            String v = stack.removeLast();
            if (!seen.add(v)) continue;
            Integer p = producerIndex.get(v);
            if (p == null) continue;
            for (String in : graph.nodes().get(p).inputs()) {
                if (in.equals(ancestor)) return true;
                if (!in.isEmpty()) stack.add(in);
            }
        }
        return false;
    }

    @Override
    public boolean isActivation(String value) {
        Integer p = producerIndex.get(value);
        return p != null && regionNodes.containsKey(p);
    }

    @Override
    public boolean sameShape(String a, String b) {
        ValueType ta = types.get(a);
        ValueType tb = types.get(b);
        return ta != null && tb != null && ta.shape() != null && ta.shape().equals(tb.shape());
    }

    @Override
    public int broadcastCount(String v) {
        ValueType t = types.get(v);
        if (t == null || t.shape() == null) return 0;
        int c = 0;
        for (Dim d : t.shape().dims()) if (d.isKnown() && d.size() == 1) c++;
        return c;
    }

    @Override
    public boolean sameSpaces(Layout a, Layout b) { return a.sameSpaces(b, merged::find); }

    @Override
    public boolean mergeLayouts(Layout a, Layout b) {
        if (a.axis() != b.axis() || a.segments().size() != b.segments().size()) return false;
        for (int i = 0; i < a.segments().size(); i++) {
            Segment x = a.segments().get(i);
            Segment y = b.segments().get(i);
            if (x.size() != y.size() || x.repeat() != y.repeat()) return false;
        }
        for (int i = 0; i < a.segments().size(); i++) {
            int x = a.segments().get(i).space();
            int y = b.segments().get(i).space();
            merged.union(x, y);
            permLinked.union(x, y);
            joined.set(x);
            joined.set(y);
        }
        return true;
    }

    @Override
    public void linkPerm(Layout a, Layout b) {
        for (int i = 0; i < a.segments().size(); i++) linkPerm(a.segments().get(i).space(), b.segments().get(i).space());
    }

    @Override
    public void linkPerm(int spaceA, int spaceB) {
        permLinked.union(spaceA, spaceB);
        joined.set(spaceA);
        joined.set(spaceB);
    }

    /** A per-channel elementwise op that teleportation rewrites as τ·f(x/τ). */
    @Override
    public void region(Node n, boolean positivelyHomogeneous) {
        Layout l = null;
        for (String in : n.inputs()) {
            Layout li = layout(in);
            if (li == null) continue;
            if (l == null) l = li;
            else if (!l.sameSpaces(li, merged::find)) {
                freezeInputs(n, SpaceRules.label(n) + ": combines different neuron spaces elementwise");
                return;
            }
        }
        if (l == null) return;
        for (int i = 0; i < n.inputs().size(); i++) {
            String c = n.input(i);
            if (isParam(c) && !perChannelOrScalar(n, n.input(0), c, l, Role.PERMUTE_ONLY)) return;
        }
        regionNodes.put(visiting, positivelyHomogeneous);
        layouts.put(n.output(0), l);
    }

    // ---- what AttentionSpaces needs ----

    AttentionAnalyzer.Result attention() { return attention; }

    Set<Integer> enteringAttention() { return enteringAttention; }

    int root(int space) { return merged.find(space); }

    long size(int space) { return sizes.get(space); }

    void note(String text) { notes.add(text); }

    /** Live spaces with a covariant touch on {@code t}'s parameter axis overlapping [offset, offset + width). */
    Set<Integer> covariantSpaces(BlockTouch t, long width) {
        Set<Integer> out = new LinkedHashSet<>();
        for (Touch x : touches) {
            ParamTouch p = x.touch();
            if (dead.get(x.space()) || p.role() != Role.COVARIANT || !p.parameter().equals(t.parameter()) || p.axis() != t.axis()) continue;
            long len = sizes.get(x.space()) * p.repeat();
            if (p.offset() < t.offset() + width && t.offset() < p.offset() + len) out.add(merged.find(x.space()));
        }
        return out;
    }

    /** The offset of a space's covariant touch on a parameter axis, or -1. */
    long covariantOffset(int root, BlockTouch t) {
        for (Touch x : touches) {
            ParamTouch p = x.touch();
            if (!dead.get(x.space()) && merged.find(x.space()) == root && p.role() == Role.COVARIANT
                    && p.parameter().equals(t.parameter()) && p.axis() == t.axis()) return p.offset();
        }
        return -1;
    }

    /** Gives a space a head structure: whole blocks of {@code block} channels move under its class's permutation. */
    boolean setBlocks(int space, long block) {
        if (blocks.get(space) != 1 && blocks.get(space) != block || tiles.get(space) != 1 || sizes.get(space) % block != 0) return false;
        blocks.set(space, block);
        return true;
    }

    // ---- resolution: roots, restrictions, regions ----

    private SymmetryAnalysis resolve() {
        // renumber the live merged roots in creation order
        Map<Integer, Integer> index = new LinkedHashMap<>();
        for (int s = 0; s < sizes.size(); s++) if (!dead.get(s)) index.putIfAbsent(merged.find(s), index.size());
        int count = index.size();
        long[] size = new long[count];
        long[] block = new long[count];
        long[] tile = new long[count];
        String[] origin = new String[count];
        String[] freezeWhy = new String[count];
        String[] permWhy = new String[count];
        String[] scaleWhy = new String[count];
        String[] positiveWhy = new String[count];
        for (int s = 0; s < sizes.size(); s++) {
            if (dead.get(s)) continue;
            int id = index.get(merged.find(s));
            if (origin[id] == null) {
                origin[id] = origins.get(s);
                size[id] = sizes.get(s);
                block[id] = blocks.get(s);
                tile[id] = tiles.get(s);
            } else if (size[id] != sizes.get(s)) {
                freezeWhy[id] = "merged spaces of different sizes (" + size[id] + ", " + sizes.get(s) + ")";
            } else if (block[id] != blocks.get(s) || tile[id] != tiles.get(s)) {
                permWhy[id] = "merged spaces whose channels are grouped differently (heads or repeated copies)";
            }
        }
        copyReasons(frozen, freezeWhy, index);
        copyReasons(noPerm, permWhy, index);
        copyReasons(noScale, scaleWhy, index);
        copyReasons(positiveOnly, positiveWhy, index);

        // permutation classes: a class is permutable only if every member is and all see one class size
        Map<Integer, Integer> permClassOf = new HashMap<>();
        Map<Integer, String> classBlock = new HashMap<>();
        Map<Integer, Long> classSize = new HashMap<>();
        for (int s = 0; s < sizes.size(); s++) {
            if (dead.get(s)) continue;
            int id = index.get(merged.find(s));
            int pc = permLinked.find(s);
            permClassOf.put(id, pc);
            String why = freezeWhy[id] != null ? freezeWhy[id] : permWhy[id];
            if (why != null) classBlock.putIfAbsent(pc, why);
            long m = size[id] / (block[id] * tile[id]);
            Long prev = classSize.putIfAbsent(pc, m);
            if (prev != null && prev != m) classBlock.putIfAbsent(pc, "spaces of different sizes share a permutation");
        }
        Map<Integer, Integer> classIndex = new LinkedHashMap<>();
        for (int id = 0; id < count; id++) classIndex.putIfAbsent(permClassOf.get(id), classIndex.size());

        // activation regions
        List<ActivationRegion> regions = buildRegions(index);
        Map<Integer, List<Integer>> regionsOf = new HashMap<>();
        Map<Integer, Boolean> homogeneous = new HashMap<>();
        for (ActivationRegion r : regions) {
            for (int s : r.spaces()) {
                regionsOf.computeIfAbsent(s, k -> new ArrayList<>()).add(r.id());
                homogeneous.merge(s, r.positivelyHomogeneous(), Boolean::logicalAnd);
            }
        }

        Map<Integer, Set<ParamTouch>> touchesOf = new HashMap<>();
        for (Touch t : touches) {
            if (dead.get(t.space())) continue;
            touchesOf.computeIfAbsent(index.get(merged.find(t.space())), k -> new LinkedHashSet<>()).add(t.touch());
        }
        List<NeuronSpace> spaces = new ArrayList<>();
        for (int id = 0; id < count; id++) {
            int pc = permClassOf.get(id);
            String blocked = classBlock.get(pc);
            Scaling scaling;
            String scaleReason;
            if (freezeWhy[id] != null) {
                scaling = Scaling.NONE;
                scaleReason = freezeWhy[id];
            } else if (scaleWhy[id] != null) {
                scaling = Scaling.NONE;
                scaleReason = scaleWhy[id];
            } else if (positiveWhy[id] != null) {
                scaling = Scaling.POSITIVE;
                scaleReason = positiveWhy[id];
            } else {
                scaling = Scaling.NONZERO;
                scaleReason = "";
            }
            boolean free = blocked == null;
            boolean byHeads = block[id] > 1;
            String permReason = !free ? blocked : byHeads ? "whole heads of " + block[id] + " channels permute (inside a head only the "
                    + "attention pair's matrices act)" : "";
            spaces.add(new NeuronSpace(id, size[id], origin[id], classIndex.get(pc), free && !byHeads, permReason, scaling,
                    scaleReason, homogeneous.getOrDefault(id, true), List.copyOf(touchesOf.getOrDefault(id, Set.of())),
                    regionsOf.getOrDefault(id, List.of()), free && byHeads, block[id], tile[id]));
        }
        List<String> allNotes = new ArrayList<>(notes);
        allNotes.addAll(attention.notes());
        List<ResidualStream> streams = StreamAnalyzer.streams(model, registry);
        for (ResidualStream st : streams) {
            if (!st.rotatable()) allNotes.add("residual stream " + st.id() + " (width " + st.size() + ") cannot be rotated: " + st.reason());
        }
        Set<Integer> outputs = new HashSet<>();
        for (int s : outputSpaceIds) if (!dead.get(s)) outputs.add(index.get(merged.find(s)));
        return new SymmetryAnalysis(spaces, regions, allNotes, attention.pairs(), attention.attentions(), streams, outputs);
    }

    private void copyReasons(Map<Integer, String> from, String[] to, Map<Integer, Integer> index) {
        for (var e : new TreeMap<>(from).entrySet()) {
            if (dead.get(e.getKey())) continue;
            int id = index.get(merged.find(e.getKey()));
            if (to[id] == null) to[id] = e.getValue();
        }
    }

    private List<ActivationRegion> buildRegions(Map<Integer, Integer> index) {
        List<Node> nodes = graph.nodes();
        UnionFind uf = new UnionFind();
        Map<Integer, Integer> slot = new HashMap<>();
        for (int i : regionNodes.keySet()) slot.put(i, uf.add());
        Map<String, Integer> producer = new HashMap<>();
        for (int i : regionNodes.keySet()) for (String o : nodes.get(i).outputs()) producer.put(o, i);
        for (int i : regionNodes.keySet()) {
            for (String in : nodes.get(i).inputs()) {
                Integer p = producer.get(in);
                if (p != null) uf.union(slot.get(i), slot.get(p));
            }
        }
        Map<Integer, List<Integer>> groups = new TreeMap<>();
        for (int i : regionNodes.keySet()) groups.computeIfAbsent(uf.find(slot.get(i)), k -> new ArrayList<>()).add(i);
        Set<String> graphOutputs = new HashSet<>();
        for (ValueInfo v : graph.outputs()) graphOutputs.add(v.name());
        Map<String, List<Integer>> consumers = new HashMap<>();
        for (int j = 0; j < nodes.size(); j++) for (String in : nodes.get(j).inputs()) consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(j);
        List<ActivationRegion> out = new ArrayList<>();
        for (List<Integer> members : groups.values()) {
            Set<Integer> memberSet = new HashSet<>(members);
            Set<String> produced = new LinkedHashSet<>();
            for (int i : members) produced.addAll(nodes.get(i).outputs());
            Set<String> entries = new LinkedHashSet<>();
            Set<String> exits = new LinkedHashSet<>();
            boolean homogeneous = true;
            for (int i : members) {
                homogeneous &= regionNodes.get(i);
                for (String in : nodes.get(i).inputs()) if (layout(in) != null && !produced.contains(in)) entries.add(in);
            }
            for (String v : produced) {
                if (graphOutputs.contains(v)) exits.add(v);
                for (int j : consumers.getOrDefault(v, List.of())) if (!memberSet.contains(j)) exits.add(v);
            }
            Layout l = layout(entries.iterator().next());
            List<Integer> spaces = new ArrayList<>();
            List<Long> segSizes = new ArrayList<>();
            List<Long> repeats = new ArrayList<>();
            for (Segment s : l.segments()) {
                spaces.add(index.get(merged.find(s.space())));
                segSizes.add(s.size());
                repeats.add(s.repeat());
            }
            out.add(new ActivationRegion(out.size(), members.stream().map(i -> nodes.get(i).label()).toList(),
                    List.copyOf(entries), List.copyOf(exits), l.axis(), spaces, segSizes, repeats, homogeneous));
        }
        return out;
    }
}
