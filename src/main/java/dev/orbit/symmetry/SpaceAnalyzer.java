package dev.orbit.symmetry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

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
 * The per-op rules live in each op's room ({@link Op#spaceRule}, found in an {@link OpRegistry}); this class keeps the union-find
 * bookkeeping behind the {@link SpaceRules} primitives they call, and resolves the result.
 */
public final class SpaceAnalyzer implements SpaceRules {
    private final Model model;
    private final Graph graph;
    private final OpRegistry registry;
    private final Map<String, ValueType> types;

    private final UnionFind merged = new UnionFind();
    private final UnionFind permLinked = new UnionFind();
    private final List<Long> sizes = new ArrayList<>();
    private final List<String> origins = new ArrayList<>();
    private final Map<Integer, String> frozen = new HashMap<>();
    private final Map<Integer, String> noPerm = new HashMap<>();
    private final Map<Integer, String> noScale = new HashMap<>();
    private final Map<Integer, String> positiveOnly = new HashMap<>();
    private final List<Touch> touches = new ArrayList<>();
    private final Map<String, Layout> layouts = new HashMap<>();
    private final Map<Integer, Boolean> regionNodes = new TreeMap<>(); // node index → positively homogeneous
    private final List<String> notes = new ArrayList<>();
    private int visiting; // index of the node whose rule is running: its region membership is keyed by it

    private record Touch(int space, ParamTouch touch) {}

    private SpaceAnalyzer(Model model, OpRegistry registry) {
        this.model = model;
        this.graph = model.graph();
        this.registry = registry;
        this.types = ShapeInference.infer(model, registry);
    }

    /** The analysis with Orbit's standard ops. */
    public static SymmetryAnalysis analyze(Model model) { return analyze(model, StandardOps.registry()); }

    /** The analysis with the symmetry rules of {@code registry}'s ops (ops it lacks freeze their inputs). */
    public static SymmetryAnalysis analyze(Model model, OpRegistry registry) {
        return new SpaceAnalyzer(model, registry).run();
    }

    private SymmetryAnalysis run() {
        List<Node> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) visit(i, nodes.get(i));
        for (ValueInfo out : graph.outputs()) freeze(out.name(), "network output '" + out.name() + "' is fixed");
        return resolve();
    }

    /** Each op's rule lives in its room ({@link Op#spaceRule}); ops the registry lacks are frozen. */
    private void visit(int index, Node n) {
        visiting = index;
        registry.find(n, model.opset()).ifPresentOrElse(op -> op.spaceRule(n, this), () -> freezeUnknown(n));
    }

    // ---- the primitives the rules use (SpaceRules) ----

    @Override
    public int newSpace(long size, String origin) {
        int a = merged.add();
        int b = permLinked.add();
        assert a == b;
        sizes.add(size);
        origins.add(origin);
        return a;
    }

    @Override
    public void touch(int space, String param, int axis, Role role, long offset, long repeat) {
        touches.add(new Touch(space, new ParamTouch(param, axis, role, offset, repeat)));
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
    public Layout layout(String value) { return value.isEmpty() ? null : layouts.get(value); }

    @Override
    public void setLayout(String value, Layout layout) { layouts.put(value, layout); }

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
        ValueType t = types.get(v);
        return t == null || t.shape() == null ? -1 : t.shape().rank();
    }

    @Override
    public long dim(String v, int axis) {
        ValueType t = types.get(v);
        if (t == null || t.shape() == null) return -1;
        Dim d = t.shape().dim(axis);
        return d.isKnown() ? d.size() : -1;
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
        }
        return true;
    }

    @Override
    public void linkPerm(Layout a, Layout b) {
        for (int i = 0; i < a.segments().size(); i++) {
            permLinked.union(a.segments().get(i).space(), b.segments().get(i).space());
        }
    }

    @Override
    public void linkPerm(int spaceA, int spaceB) { permLinked.union(spaceA, spaceB); }

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

    // ---- resolution: roots, restrictions, regions ----

    private SymmetryAnalysis resolve() {
        // renumber merged roots in creation order
        Map<Integer, Integer> index = new LinkedHashMap<>();
        for (int s = 0; s < sizes.size(); s++) index.putIfAbsent(merged.find(s), index.size());
        int count = index.size();
        long[] size = new long[count];
        String[] origin = new String[count];
        String[] freezeWhy = new String[count];
        String[] permWhy = new String[count];
        String[] scaleWhy = new String[count];
        String[] positiveWhy = new String[count];
        for (int s = 0; s < sizes.size(); s++) {
            int id = index.get(merged.find(s));
            if (origin[id] == null) {
                origin[id] = origins.get(s);
                size[id] = sizes.get(s);
            } else if (size[id] != sizes.get(s)) {
                freezeWhy[id] = "merged spaces of different sizes (" + size[id] + ", " + sizes.get(s) + ")";
            }
        }
        copyReasons(frozen, freezeWhy, index);
        copyReasons(noPerm, permWhy, index);
        copyReasons(noScale, scaleWhy, index);
        copyReasons(positiveOnly, positiveWhy, index);

        // permutation classes: a class is permutable only if every member is
        Map<Integer, Integer> permClassOf = new HashMap<>();
        Map<Integer, String> classBlock = new HashMap<>();
        for (int s = 0; s < sizes.size(); s++) {
            int id = index.get(merged.find(s));
            int pc = permLinked.find(s);
            permClassOf.put(id, pc);
            String why = freezeWhy[id] != null ? freezeWhy[id] : permWhy[id];
            if (why != null) classBlock.putIfAbsent(pc, why);
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
            touchesOf.computeIfAbsent(index.get(merged.find(t.space())), k -> new LinkedHashSet<>()).add(t.touch());
        }
        List<NeuronSpace> spaces = new ArrayList<>();
        for (int id = 0; id < count; id++) {
            int pc = permClassOf.get(id);
            String block = classBlock.get(pc);
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
            spaces.add(new NeuronSpace(id, size[id], origin[id], classIndex.get(pc), block == null,
                    block == null ? "" : block, scaling, scaleReason, homogeneous.getOrDefault(id, true),
                    List.copyOf(touchesOf.getOrDefault(id, Set.of())), regionsOf.getOrDefault(id, List.of())));
        }
        AttentionAnalyzer.Result attention = AttentionAnalyzer.analyze(model, registry);
        List<String> allNotes = new ArrayList<>(notes);
        allNotes.addAll(attention.notes());
        List<ResidualStream> streams = StreamAnalyzer.streams(model, registry);
        for (ResidualStream st : streams) {
            if (!st.rotatable()) allNotes.add("residual stream " + st.id() + " (width " + st.size() + ") cannot be rotated: " + st.reason());
        }
        return new SymmetryAnalysis(spaces, regions, allNotes, attention.pairs(), attention.attentions(), streams);
    }

    private void copyReasons(Map<Integer, String> from, String[] to, Map<Integer, Integer> index) {
        for (var e : new TreeMap<>(from).entrySet()) {
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
        Set<String> graphOutputs = new java.util.HashSet<>();
        for (ValueInfo v : graph.outputs()) graphOutputs.add(v.name());
        List<ActivationRegion> out = new ArrayList<>();
        for (List<Integer> members : groups.values()) {
            Set<Integer> memberSet = new java.util.HashSet<>(members);
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
                for (int j = 0; j < nodes.size(); j++) {
                    if (!memberSet.contains(j) && nodes.get(j).inputs().contains(v)) exits.add(v);
                }
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
