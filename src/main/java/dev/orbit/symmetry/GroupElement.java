package dev.orbit.symmetry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An element of a model's symmetry group: a permutation per permutation class and a non-zero scale vector per
 * neuron space (absent = identity), and matrix parts (per-head GL(d) on attention pairs, per-head scalings,
 * residual-stream rotations; at most one per target). Acting on a space, new unit j = τ_j · old unit p[j].
 * The diagonal and matrix parts act on different parameter axes, so they commute. Elements compose and invert;
 * they are plain data, serialisable to JSON so a move can be replayed or undone.
 */
public record GroupElement(Map<Integer, int[]> permutations, Map<Integer, double[]> scales, List<MatrixPart> matrices)
        implements SymmetryElement {
    public GroupElement {
        permutations = Map.copyOf(permutations);
        scales = Map.copyOf(scales);
        matrices = List.copyOf(matrices);
        Set<String> targets = new HashSet<>();
        for (MatrixPart m : matrices) {
            if (!targets.add(m.target())) throw new IllegalArgumentException("two matrix parts act on " + m.target());
        }
    }

    public GroupElement(Map<Integer, int[]> permutations, Map<Integer, double[]> scales) {
        this(permutations, scales, List.of());
    }

    public static GroupElement identity() { return new GroupElement(Map.of(), Map.of()); }

    /** Only matrix parts. */
    public static GroupElement ofMatrices(List<MatrixPart> parts) { return new GroupElement(Map.of(), Map.of(), parts); }

    /** This element's diagonal parts with {@code parts} added to its matrix parts. */
    public GroupElement withMatrices(List<MatrixPart> parts) {
        List<MatrixPart> all = new ArrayList<>(matrices);
        all.addAll(parts);
        return new GroupElement(permutations, scales, all);
    }

    public int[] permutation(int permClass, long size) {
        int[] p = permutations.get(permClass);
        if (p != null) return p;
        int[] id = new int[Math.toIntExact(size)];
        for (int i = 0; i < id.length; i++) id[i] = i;
        return id;
    }

    /** The permutation of a space's channels: its class's permutation seen through the space's blocks and tiles. */
    public int[] channelPermutation(NeuronSpace s) { return s.channelPermutation(permutation(s.permClass(), s.classSize())); }

    public double[] scale(int space, long size) {
        double[] t = scales.get(space);
        if (t != null) return t;
        double[] ones = new double[Math.toIntExact(size)];
        Arrays.fill(ones, 1.0);
        return ones;
    }

    /** This element after {@code first}: p = p_first ∘ p_this, τ_j = τ_this,j · τ_first,p_this[j]. */
    public GroupElement after(GroupElement first, SymmetryAnalysis a) {
        Map<Integer, int[]> perms = new TreeMap<>();
        Map<Integer, double[]> scl = new TreeMap<>();
        for (NeuronSpace s : a.spaces()) {
            int[] ca = permutation(s.permClass(), s.classSize());
            int[] cb = first.permutation(s.permClass(), s.classSize());
            int[] pc = new int[ca.length];
            for (int j = 0; j < pc.length; j++) pc[j] = cb[ca[j]];
            int[] pa = s.channelPermutation(ca);
            double[] ta = scale(s.id(), s.size());
            double[] tb = first.scale(s.id(), s.size());
            double[] t = new double[pa.length];
            for (int j = 0; j < t.length; j++) t[j] = ta[j] * tb[pa[j]];
            if (permutations.containsKey(s.permClass()) || first.permutations.containsKey(s.permClass())) perms.put(s.permClass(), pc);
            if (scales.containsKey(s.id()) || first.scales.containsKey(s.id())) scl.put(s.id(), t);
        }
        // first's matrices as they look after this element's permutations, then this element's on top
        Map<String, MatrixPart> parts = new LinkedHashMap<>();
        for (MatrixPart m : first.matrices) parts.put(m.target(), m.reindexed(structurePermutation(m, a, false)));
        for (MatrixPart m : matrices) parts.merge(m.target(), m, (f, t) -> t.after(f));
        return new GroupElement(perms, scl, new ArrayList<>(parts.values()));
    }

    /** The inverse: q = p⁻¹, σ_j = 1/τ_q[j]. */
    public GroupElement inverse(SymmetryAnalysis a) {
        Map<Integer, int[]> perms = new TreeMap<>();
        Map<Integer, double[]> scl = new TreeMap<>();
        for (NeuronSpace s : a.spaces()) {
            int[] pc = permutation(s.permClass(), s.classSize());
            int[] qc = new int[pc.length];
            for (int j = 0; j < pc.length; j++) qc[pc[j]] = j;
            if (permutations.containsKey(s.permClass())) perms.put(s.permClass(), qc);
            int[] q = s.channelPermutation(qc);
            double[] t = scales.get(s.id());
            if (t != null) {
                double[] inv = new double[t.length];
                for (int j = 0; j < t.length; j++) inv[j] = 1.0 / t[q[j]];
                scl.put(s.id(), inv);
            }
        }
        return new GroupElement(perms, scl, matrices.stream().map(m -> m.inverse().reindexed(structurePermutation(m, a, true))).toList());
    }

    /**
     * How this element's permutations move the heads (or stream channels) a matrix part is indexed by: the key/value
     * head permutation of a pair's value or query space, the query heads of an attention, the channel permutation of a
     * stream; identity when nothing is permuted there. {@code inverse}: of the inverse permutation.
     */
    private int[] structurePermutation(MatrixPart m, SymmetryAnalysis a, boolean inverse) {
        BlockTouch at;
        int n;
        boolean channels = false;
        switch (m) {
            case PairTransform p -> {
                LinearPair pair = a.pairs().get(p.pair());
                at = pair.left().getFirst();
                n = pair.kvHeads();
            }
            case HeadScaling h -> {
                AttentionBlock b = a.attentions().get(h.attention());
                at = b.query().getFirst();
                n = b.heads();
            }
            case StreamRotation r -> {
                ResidualStream st = a.streams().get(r.stream());
                at = st.writers().getFirst();
                n = st.size();
                channels = true;
            }
        }
        int[] p = null;
        for (NeuronSpace s : a.spaces()) {
            if (!permutations.containsKey(s.permClass())) continue;
            for (ParamTouch t : s.touches()) {
                if (t.role() != dev.orbit.ops.Role.COVARIANT || !t.parameter().equals(at.parameter()) || t.axis() != at.axis()) continue;
                if (channels ? t.offset() <= at.offset() && at.offset() < t.offset() + s.size() * t.repeat() : t.offset() == at.offset()) {
                    int[] c = channels ? channelPermutation(s) : permutation(s.permClass(), s.classSize());
                    if (c.length == n) p = c;
                }
            }
        }
        if (p == null) {
            p = new int[n];
            for (int i = 0; i < n; i++) p[i] = i;
            return p;
        }
        if (!inverse) return p;
        int[] q = new int[n];
        for (int j = 0; j < n; j++) q[p[j]] = j;
        return q;
    }

    /** Checks the element fits the analysis: only free spaces move, sizes match, factors are allowed. */
    public void validate(SymmetryAnalysis a) {
        for (var e : permutations.entrySet()) {
            NeuronSpace s = a.spaces().stream().filter(x -> x.permClass() == e.getKey()).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("permutation class " + e.getKey() + " does not exist in this model"));
            if (!s.classPermutable()) throw new IllegalArgumentException("space " + s.id() + " cannot be permuted: " + s.permReason());
            int[] p = e.getValue();
            if (p.length != s.classSize()) throw new IllegalArgumentException("permutation of class " + e.getKey() + " has " + p.length + " entries, the class has " + s.classSize());
            boolean[] seen = new boolean[p.length];
            for (int v : p) {
                if (v < 0 || v >= p.length || seen[v]) throw new IllegalArgumentException("class " + e.getKey() + ": not a permutation");
                seen[v] = true;
            }
        }
        for (var e : scales.entrySet()) {
            if (e.getKey() < 0 || e.getKey() >= a.spaces().size()) throw new IllegalArgumentException("space " + e.getKey() + " does not exist in this model");
            NeuronSpace s = a.space(e.getKey());
            double[] t = e.getValue();
            if (t.length != s.size()) throw new IllegalArgumentException("scale of space " + s.id() + " has " + t.length + " entries, the space has " + s.size());
            boolean identity = Arrays.stream(t).allMatch(v -> v == 1.0);
            if (!identity && s.scaling() == Scaling.NONE) throw new IllegalArgumentException("space " + s.id() + " cannot be scaled: " + s.scaleReason());
            for (double v : t) {
                if (!(Double.isFinite(v) && v != 0)) throw new IllegalArgumentException("space " + s.id() + ": scale factors must be finite and non-zero");
                if (v < 0 && s.scaling() == Scaling.POSITIVE) throw new IllegalArgumentException("space " + s.id() + " takes positive factors only: " + s.scaleReason());
            }
        }
        for (MatrixPart m : matrices) m.validate(a);
    }
}
