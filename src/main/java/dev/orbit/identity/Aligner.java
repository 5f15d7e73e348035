package dev.orbit.identity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.orbit.numeric.Matrices;
import dev.orbit.ops.Role;
import dev.orbit.symmetry.AttentionBlock;
import dev.orbit.symmetry.BlockTouch;
import dev.orbit.symmetry.GroupElement;
import dev.orbit.symmetry.HeadScaling;
import dev.orbit.symmetry.LinearPair;
import dev.orbit.symmetry.MatrixPart;
import dev.orbit.symmetry.NeuronSpace;
import dev.orbit.symmetry.PairTransform;
import dev.orbit.symmetry.ParamTouch;
import dev.orbit.symmetry.ResidualStream;
import dev.orbit.symmetry.Scaling;
import dev.orbit.symmetry.StreamRotation;
import dev.orbit.symmetry.SymmetryAnalysis;

/**
 * The sequential resolution both orbit membership and the canonical form run: a working copy of the model's
 * parameters is moved, one structure at a time, by the part of the element a {@link Decider} chooses for it.
 * A structure (a permutation class with the scalings of its spaces, an attention pair, a residual stream) is
 * decided once every parameter axis its features need is settled: a parameter slice is comparable only when every
 * other axis of that parameter already carries its final permutation, scale and basis. In a feed-forward graph
 * the network inputs are fixed, so the first layer is decidable and the rest follow in dependency order.
 *
 * <p>Head-permutable classes are decided together with their attention pairs (the pair's GL(d) mixes the channels
 * of a head, so heads are compared by the column spaces of their blocks, which GL(d) keeps). A residual stream
 * that rotates absorbs the permutation of its class (a permutation is a rotation).
 */
final class Aligner {
    /** What chooses each part: matching against a target, or a canonical rule. */
    interface Decider {
        /** The class permutation: entry j is the working unit that becomes unit j. */
        int[] permutation(Aligner a, int permClass, List<Feature> features);

        /** Per channel, the factor τ (new = τ·old) of a scalable space whose class is placed. */
        double[] scale(Aligner a, NeuronSpace s, List<ParamTouch> usable);

        /** The head permutation of a head class and its pairs (entry j: working kv-head that becomes head j). */
        int[] headPermutation(Aligner a, int permClass, List<LinearPair> pairs);

        /** A_g for kv-head g of a pair whose heads are placed. */
        double[][] pairBlock(Aligner a, LinearPair pair, int kvHead);

        /** The rotation Q (x → x·Q) of a stream. */
        double[][] rotation(Aligner a, ResidualStream s, List<BlockTouch> usable);

        /**
         * The map of a stream decided before anything else (only {@code direct}, the touches whose other axes nothing
         * else moves, are settled), or null: the stream then waits until its settled writers and readers span it.
         */
        default StreamMove rotationUpFront(Aligner a, ResidualStream s, List<BlockTouch> direct) { return null; }

        /**
         * The per-head factors of a ReLU attention whose query–key pair {@code qk} is placed (value factors 1; the
         * output rows absorb 1/(α_q·α_k)): the part of its symmetry outside GL(d), since relu(c·s) = c·relu(s) for c &gt; 0.
         */
        HeadScaling headScaling(Aligner a, AttentionBlock b, LinearPair qk);
    }

    /**
     * A stream's map decided up front: the scale of {@code scaled} (the stream's own space, when no norm fixes its
     * scale; null otherwise), then the rotation.
     */
    record StreamMove(NeuronSpace scaled, double[] scale, double[][] rotation) {}

    /** The free spaces whose touches include one of the stream's writers or readers on its stream axis. */
    List<NeuronSpace> streamSpaces(ResidualStream st) {
        Set<String> axes = new HashSet<>();
        for (BlockTouch t : st.writers()) axes.add(t.parameter() + "#" + t.axis());
        for (BlockTouch t : st.readers()) axes.add(t.parameter() + "#" + t.axis());
        List<NeuronSpace> out = new ArrayList<>();
        for (List<NeuronSpace> c : classes.values()) {
            for (NeuronSpace s : c) if (s.touches().stream().anyMatch(t -> axes.contains(t.parameter() + "#" + t.axis()))) out.add(s);
        }
        return out;
    }

    /** A usable touch of a space in a class being decided. */
    record Feature(NeuronSpace space, ParamTouch touch) {}

    final SymmetryAnalysis analysis;
    final Map<String, Tensor64> work;
    private final Map<String, List<Set<String>>> pending = new HashMap<>();
    private final Map<Integer, List<NeuronSpace>> classes = new TreeMap<>();
    private final Map<Integer, List<LinearPair>> headPairs = new TreeMap<>();
    private final Set<Integer> streamClasses = new HashSet<>();
    private final Map<Integer, int[]> perms = new TreeMap<>();
    private final Map<Integer, double[]> scales = new TreeMap<>();
    private final Map<String, MatrixPart> matrices = new LinkedHashMap<>();
    /** ReLU attentions by the id of their query–key pair: deciding that pair also decides their head factors. */
    private final Map<Integer, AttentionBlock> scaledHeads = new HashMap<>();
    /** Both pairs of those attentions: per head their products L·Rᵀ are known only up to a positive factor. */
    private final Set<Integer> scaledPairs = new HashSet<>();
    final List<String> notes = new ArrayList<>();
    /** Streams whose rotation the settled parameters did not determine when it was chosen. */
    final Set<Integer> underdetermined = new java.util.TreeSet<>();
    /** Streams rotated before anything else was decided ({@link Decider#rotationUpFront}). */
    final Set<Integer> upFront = new java.util.TreeSet<>();
    /** Per stream decided, its map (the scale of its own space, when it took one, and the rotation). */
    final Map<Integer, StreamMove> streamMoves = new TreeMap<>();
    int deadUnits;
    /** Per class, the units (indices of the model aligned) a matching decider found exactly interchangeable. */
    final Map<Integer, int[]> interchangeable = new TreeMap<>();
    /** Per class, the units whose slices were all zero when it was decided: their scales are read off later slices. */
    final Map<Integer, int[]> dead = new TreeMap<>();

    private final boolean rotateStreams;

    Aligner(SymmetryAnalysis analysis, Map<String, Tensor64> work) { this(analysis, work, true); }

    /** {@code rotateStreams} false: rotatable streams are aligned as the permutation classes they also are. */
    Aligner(SymmetryAnalysis analysis, Map<String, Tensor64> work, boolean rotateStreams) {
        this.rotateStreams = rotateStreams;
        this.analysis = analysis;
        this.work = work;
        for (NeuronSpace s : analysis.spaces()) {
            if (!s.isFree()) continue;
            classes.computeIfAbsent(s.permClass(), k -> new ArrayList<>()).add(s);
            for (ParamTouch t : s.touches()) mark(t.parameter(), t.axis(), "s" + s.id());
        }
        for (LinearPair p : analysis.pairs()) {
            for (BlockTouch t : p.left()) mark(t.parameter(), t.axis(), "p" + p.id());
            for (BlockTouch t : p.right()) mark(t.parameter(), t.axis(), "p" + p.id());
        }
        for (AttentionBlock b : analysis.attentions()) {
            LinearPair qk = analysis.pairs().get(b.queryKey());
            if (b.score() != AttentionBlock.Score.RELU || !b.positivelyHomogeneous() || b.output().isEmpty() || qk.kvHeads() != b.heads()) continue;
            scaledHeads.put(qk.id(), b);
            scaledPairs.add(qk.id());
            scaledPairs.add(b.valueOutput());
            // the output rows take 1/(α_q·α_k): nothing reads them until the query–key pair has fixed the factors
            for (BlockTouch t : b.output()) mark(t.parameter(), t.axis(), "p" + qk.id());
        }
        for (ResidualStream st : streams()) {
            Set<String> axes = new HashSet<>();
            for (BlockTouch t : st.writers()) axes.add(t.parameter() + "#" + t.axis());
            for (BlockTouch t : st.readers()) axes.add(t.parameter() + "#" + t.axis());
            for (BlockTouch t : st.writers()) mark(t.parameter(), t.axis(), "r" + st.id());
            for (BlockTouch t : st.readers()) mark(t.parameter(), t.axis(), "r" + st.id());
            for (var e : classes.entrySet()) {
                for (NeuronSpace s : e.getValue()) {
                    for (ParamTouch t : s.touches()) if (axes.contains(t.parameter() + "#" + t.axis())) streamClasses.add(e.getKey());
                }
            }
        }
        for (LinearPair p : analysis.pairs()) {
            Set<String> axes = new HashSet<>();
            for (BlockTouch t : p.left()) axes.add(t.parameter() + "#" + t.axis());
            for (BlockTouch t : p.right()) axes.add(t.parameter() + "#" + t.axis());
            for (var e : classes.entrySet()) {
                boolean heads = e.getValue().stream().anyMatch(NeuronSpace::headPermutable);
                if (!heads) continue;
                boolean hit = e.getValue().stream().flatMap(s -> s.touches().stream()).anyMatch(t -> axes.contains(t.parameter() + "#" + t.axis()));
                if (hit && headPairs.values().stream().noneMatch(l -> l.contains(p))) headPairs.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(p);
            }
        }
    }

    private List<ResidualStream> streams() { return rotateStreams ? analysis.rotatableStreams() : List.of(); }

    private void mark(String param, int axis, String actor) {
        Tensor64 t = work.get(param);
        if (t == null) throw new IllegalArgumentException("parameter '" + param + "' is missing");
        List<Set<String>> axes = pending.computeIfAbsent(param, k -> {
            List<Set<String>> l = new ArrayList<>();
            for (int i = 0; i < t.rank(); i++) l.add(new HashSet<>());
            return l;
        });
        axes.get(axis).add(actor);
    }

    private void settle(String actor) {
        for (List<Set<String>> axes : pending.values()) for (Set<String> s : axes) s.remove(actor);
    }

    /** Whether every axis of {@code param} other than {@code axis} is settled. */
    boolean usable(String param, int axis) {
        List<Set<String>> axes = pending.get(param);
        if (axes == null) return true;
        for (int i = 0; i < axes.size(); i++) if (i != axis && !axes.get(i).isEmpty()) return false;
        return true;
    }

    /** Whether {@code actor} is the only unsettled one on that axis (a scale is read off a slice no other factor still moves). */
    private boolean alone(String param, int axis, String actor) {
        List<Set<String>> axes = pending.get(param);
        return axes == null || axes.get(axis).stream().allMatch(actor::equals);
    }

    /** Runs the resolution to the end and returns the element that moved the working copy. */
    GroupElement run(Decider d) {
        Set<Integer> openClasses = new java.util.TreeSet<>(classes.keySet());
        Set<Integer> scalePending = new java.util.TreeSet<>();
        List<LinearPair> openPairs = new ArrayList<>(analysis.pairs());
        headPairs.values().forEach(openPairs::removeAll);
        List<ResidualStream> openStreams = new ArrayList<>(streams());
        for (var it = openStreams.iterator(); it.hasNext(); ) {
            ResidualStream st = it.next();
            StreamMove m = d.rotationUpFront(this, st, settledTouches(st));
            if (m == null) continue;
            if (m.scaled() != null) {
                scale(m.scaled(), m.scale());
                settle("s" + m.scaled().id());
            }
            rotateStream(st, m.rotation(), openClasses, scalePending);
            if (m.scaled() != null) scalePending.remove(m.scaled().id());
            streamMoves.put(st.id(), m);
            upFront.add(st.id());
            it.remove();
        }
        boolean force = false;
        while (!openClasses.isEmpty() || !scalePending.isEmpty() || !openPairs.isEmpty() || !openStreams.isEmpty()) {
            boolean progress = false;
            for (var it = openClasses.iterator(); it.hasNext(); ) {
                int c = it.next();
                if (streamClasses.contains(c)) continue;
                if (headPairs.containsKey(c)) {
                    if (headsUsable(c)) {
                        decideHeads(c, d);
                        it.remove();
                        progress = true;
                    }
                    continue;
                }
                List<Feature> f = features(c);
                boolean permutable = classes.get(c).stream().anyMatch(NeuronSpace::classPermutable);
                boolean strong = f.stream().anyMatch(this::informative);
                if (permutable && !strong && !(force && !f.isEmpty())) continue;
                int[] p = permutable ? d.permutation(this, c, f) : null;
                if (p != null) place(c, p);
                for (NeuronSpace s : classes.get(c)) {
                    if (s.scaling() == Scaling.NONE) settle("s" + s.id());
                    else scalePending.add(s.id());
                }
                it.remove();
                progress = true;
                force = false;
            }
            for (var it = scalePending.iterator(); it.hasNext(); ) {
                NeuronSpace s = analysis.space(it.next());
                List<ParamTouch> u = s.touches().stream().filter(t -> t.unit() == 1 && t.role() != Role.PERMUTE_ONLY && usable(t.parameter(), t.axis())
                        && alone(t.parameter(), t.axis(), "s" + s.id())).toList();
                if (u.isEmpty() && !force) continue;
                double[] tau = u.isEmpty() ? ones(s.size()) : d.scale(this, s, u);
                if (u.isEmpty()) notes.add("space " + s.id() + ": no comparable parameter for its scale; left at 1");
                scale(s, tau);
                settle("s" + s.id());
                it.remove();
                progress = true;
                force = false;
            }
            for (var it = openPairs.iterator(); it.hasNext(); ) {
                LinearPair p = it.next();
                if (!pairUsable(p, Set.of("p" + p.id()))) continue;
                decidePair(p, d);
                it.remove();
                progress = true;
            }
            for (var it = openStreams.iterator(); it.hasNext(); ) {
                ResidualStream st = it.next();
                List<BlockTouch> u = settledTouches(st);
                long rows = rows(u);
                if (u.isEmpty() || rows < st.size() && !force) continue;
                if (rows < st.size()) underdetermined.add(st.id());
                double[][] q = d.rotation(this, st, u);
                rotateStream(st, q, openClasses, scalePending);
                streamMoves.put(st.id(), new StreamMove(null, null, q));
                it.remove();
                progress = true;
            }
            if (!progress) {
                if (force) {
                    notes.add("resolution stalled: " + openClasses.size() + " classes, " + openPairs.size() + " pairs, "
                            + openStreams.size() + " streams left as they are");
                    break;
                }
                force = true;
            }
        }
        return element();
    }

    /** The writers and readers of a stream whose other axes are settled. */
    private List<BlockTouch> settledTouches(ResidualStream st) {
        List<BlockTouch> u = new ArrayList<>();
        for (BlockTouch t : st.writers()) if (usable(t.parameter(), t.axis())) u.add(t);
        for (BlockTouch t : st.readers()) if (usable(t.parameter(), t.axis())) u.add(t);
        return u;
    }

    /** Rotates a stream by q; the permutation classes it absorbs are decided with it (their scales wait for their slices). */
    private void rotateStream(ResidualStream st, double[][] q, Set<Integer> openClasses, Set<Integer> scalePending) {
        for (BlockTouch t : st.writers()) work.get(t.parameter()).multiply(t.axis(), t.offset(), q);
        for (BlockTouch t : st.readers()) work.get(t.parameter()).multiply(t.axis(), t.offset(), q);
        matrices.put("stream:" + st.id(), new StreamRotation(st.id(), q));
        settle("r" + st.id());
        for (int c : streamClasses) {
            if (!openClasses.contains(c)) continue;
            boolean mine = classes.get(c).stream().flatMap(s -> s.touches().stream())
                    .anyMatch(t -> st.writers().stream().anyMatch(w -> w.parameter().equals(t.parameter()) && w.axis() == t.axis())
                            || st.readers().stream().anyMatch(w -> w.parameter().equals(t.parameter()) && w.axis() == t.axis()));
            if (!mine) continue;
            openClasses.remove(c);
            for (NeuronSpace s : classes.get(c)) {
                if (s.scaling() == Scaling.NONE) settle("s" + s.id());
                else scalePending.add(s.id());
            }
        }
    }

    /** Usable touches of the spaces of a class (channel by channel, not block-permuted constants). */
    List<Feature> features(int c) {
        List<Feature> f = new ArrayList<>();
        for (NeuronSpace s : classes.get(c)) {
            for (ParamTouch t : s.touches()) {
                if (t.unit() == 1 && usable(t.parameter(), t.axis())) f.add(new Feature(s, t));
            }
        }
        return f;
    }

    /**
     * Whether a feature can tell units apart up to their scale: a slice of one entry cannot (its unit-norm form is ±1
     * for every unit), so a class whose usable slices all have one entry — a bias, a BatchNorm statistic, the column
     * of a one-output conv — waits until a longer slice settles. (Deciding on them chose a tie-broken permutation:
     * `detector_op13` matched its 8 upsampling channels by their one-output head.)
     */
    private boolean informative(Feature f) { return channel(work.get(f.touch().parameter()), f.touch(), 0).length >= 2; }

    /** Whether a pair belongs to a ReLU attention whose heads take positive factors outside GL(d). */
    boolean headScaled(LinearPair p) { return scaledPairs.contains(p.id()); }

    /** Attention pairs whose per-head products are GL(d)-invariant: all but the pairs of ReLU attentions whose heads also scale. */
    List<LinearPair> invariantPairs() { return analysis.pairs().stream().filter(p -> !headScaled(p)).toList(); }

    /** The ReLU attentions whose heads take factors outside GL(d). */
    List<AttentionBlock> scaledAttentions() {
        return analysis.attentions().stream().filter(b -> headScaled(analysis.pairs().get(b.queryKey()))).toList();
    }

    /** How many stream rows the blocks hold. */
    long rows(List<BlockTouch> blocks) {
        long rows = 0;
        for (BlockTouch t : blocks) rows += work.get(t.parameter()).outer(t.axis()) * work.get(t.parameter()).inner(t.axis());
        return rows;
    }

    List<NeuronSpace> spacesOf(int c) { return classes.get(c); }

    /**
     * Applies a class permutation to the working copy (every touch of every space of the class). Placing a class
     * again (weight matching's coordinate descent) composes: the element keeps p_total = p_before ∘ p, and the
     * scales already chosen for the class's spaces move with their units.
     */
    void place(int c, int[] p) {
        Set<String> done = new HashSet<>(); // two spaces of a class may touch one run of an axis (a depthwise conv)
        for (NeuronSpace s : classes.get(c)) {
            int[] ch = s.channelPermutation(p);
            for (ParamTouch t : s.touches()) {
                if (!done.add(t.parameter() + "#" + t.axis() + "#" + t.offset())) continue;
                Tensor64 w = work.get(t.parameter());
                if (t.unit() > 1) {
                    int u = Math.toIntExact(t.unit());
                    int[] blocks = new int[ch.length / u];
                    for (int e = 0; e < blocks.length; e++) blocks[e] = ch[e * u] / u;
                    w.gatherScale(t.axis(), t.offset(), t.repeat(), blocks, null);
                } else {
                    w.gatherScale(t.axis(), t.offset(), t.repeat(), ch, null);
                }
            }
        }
        boolean identity = true;
        for (int i = 0; i < p.length; i++) identity &= p[i] == i;
        if (identity) return;
        int[] before = perms.get(c);
        int[] total = p;
        if (before != null) {
            total = new int[p.length];
            for (int j = 0; j < p.length; j++) total[j] = before[p[j]];
        }
        perms.put(c, total);
        for (NeuronSpace s : classes.get(c)) {
            double[] tau = scales.get(s.id());
            if (tau == null) continue;
            int[] ch = s.channelPermutation(p);
            double[] moved = new double[tau.length];
            for (int j = 0; j < moved.length; j++) moved[j] = tau[ch[j]];
            scales.put(s.id(), moved);
        }
    }

    /** The element that has moved the working copy so far. */
    GroupElement element() { return new GroupElement(perms, scales, new ArrayList<>(matrices.values())); }

    /** Classes permuted channel by channel (not by heads, not absorbed by a rotated stream): weight matching's coordinates. */
    List<Integer> channelClasses() {
        List<Integer> out = new ArrayList<>();
        for (var e : classes.entrySet()) {
            if (streamClasses.contains(e.getKey()) || headPairs.containsKey(e.getKey())) continue;
            if (e.getValue().stream().anyMatch(NeuronSpace::permutable)) out.add(e.getKey());
        }
        return out;
    }

    /** Every channel-by-channel touch of the spaces of a class, settled or not (after the resolution all are). */
    List<Feature> allFeatures(int c) {
        List<Feature> f = new ArrayList<>();
        for (NeuronSpace s : classes.get(c)) for (ParamTouch t : s.touches()) if (t.unit() == 1) f.add(new Feature(s, t));
        return f;
    }

    private void scale(NeuronSpace s, double[] tau) {
        moveScale(s, tau);
        boolean identity = true;
        for (double v : tau) identity &= v == 1.0;
        if (!identity) scales.put(s.id(), tau);
    }

    /** Scales a space's units again by {@code extra} (after its first scale): the element keeps the product. */
    void rescale(NeuronSpace s, double[] extra) {
        moveScale(s, extra);
        double[] tau = scales.get(s.id());
        double[] total = extra.clone();
        if (tau != null) for (int i = 0; i < total.length; i++) total[i] *= tau[i];
        boolean identity = true;
        for (double v : total) identity &= v == 1.0;
        if (identity) scales.remove(s.id()); else scales.put(s.id(), total);
    }

    private void moveScale(NeuronSpace s, double[] tau) {
        int[] id = new int[tau.length];
        for (int i = 0; i < id.length; i++) id[i] = i;
        double[] inv = new double[tau.length];
        for (int i = 0; i < tau.length; i++) inv[i] = 1 / tau[i];
        for (ParamTouch t : s.touches()) {
            if (t.role() == Role.PERMUTE_ONLY || t.unit() > 1) continue;
            work.get(t.parameter()).gatherScale(t.axis(), t.offset(), t.repeat(), id, t.role() == Role.COVARIANT ? tau : inv);
        }
    }

    /** The class permutation chosen so far (entry j: the unit of the original model now at j); identity if none. */
    int[] permutationOf(int c) {
        int m = Math.toIntExact(classes.get(c).getFirst().classSize());
        int[] p = perms.get(c);
        if (p != null) return p.clone();
        int[] id = new int[m];
        for (int i = 0; i < m; i++) id[i] = i;
        return id;
    }

    /** A channel's entries under one touch, in the working copy or another parameter set. */
    static double[] channel(Tensor64 w, ParamTouch t, int channel) {
        return w.slice(t.axis(), t.offset() + channel * t.repeat(), t.repeat());
    }

    private boolean pairUsable(LinearPair p, Set<String> own) {
        for (List<BlockTouch> side : List.of(p.left(), p.right())) {
            for (BlockTouch t : side) {
                List<Set<String>> axes = pending.get(t.parameter());
                for (int i = 0; i < axes.size(); i++) {
                    if (i == t.axis()) continue;
                    for (String a : axes.get(i)) if (!own.contains(a)) return false;
                }
            }
        }
        return true;
    }

    private boolean headsUsable(int c) {
        Set<String> own = new HashSet<>();
        for (NeuronSpace s : classes.get(c)) own.add("s" + s.id());
        for (LinearPair p : headPairs.get(c)) own.add("p" + p.id());
        for (LinearPair p : headPairs.get(c)) if (!pairUsable(p, own)) return false;
        for (NeuronSpace s : classes.get(c)) {
            for (ParamTouch t : s.touches()) {
                List<Set<String>> axes = pending.get(t.parameter());
                for (int i = 0; i < axes.size(); i++) {
                    if (i == t.axis()) continue;
                    for (String a : axes.get(i)) if (!own.contains(a)) return false;
                }
            }
        }
        return true;
    }

    private void decideHeads(int c, Decider d) {
        List<LinearPair> pairs = headPairs.get(c);
        boolean permutable = classes.get(c).stream().anyMatch(NeuronSpace::classPermutable);
        if (permutable) {
            int[] p = d.headPermutation(this, c, pairs);
            place(c, p);
        }
        for (NeuronSpace s : classes.get(c)) settle("s" + s.id());
        for (LinearPair pair : pairs) decidePair(pair, d);
    }

    private void decidePair(LinearPair p, Decider d) {
        double[][][] blocks = new double[p.kvHeads()][][];
        for (int g = 0; g < p.kvHeads(); g++) {
            blocks[g] = d.pairBlock(this, p, g);
            applyPairBlock(p, g, blocks[g]);
        }
        matrices.put("pair:" + p.id(), new PairTransform(p.id(), blocks));
        AttentionBlock b = scaledHeads.get(p.id());
        if (b != null) applyHeadScaling(b, d.headScaling(this, b, p));
        settle("p" + p.id());
    }

    private void applyHeadScaling(AttentionBlock b, HeadScaling f) {
        int n = b.headDim();
        int[] id = new int[n];
        for (int i = 0; i < n; i++) id[i] = i;
        boolean identity = true;
        for (int h = 0; h < b.heads(); h++) {
            double q = f.query()[h];
            double k = f.key()[h];
            identity &= q == 1 && k == 1;
            long at = (long) h * n;
            for (BlockTouch t : b.query()) work.get(t.parameter()).gatherScale(t.axis(), t.offset() + at, 1, id, constant(n, q));
            for (BlockTouch t : b.key()) work.get(t.parameter()).gatherScale(t.axis(), t.offset() + at, 1, id, constant(n, k));
            for (BlockTouch t : b.output()) work.get(t.parameter()).gatherScale(t.axis(), t.offset() + at, 1, id, constant(n, 1 / (q * k)));
        }
        if (!identity) matrices.put(f.target(), f);
    }

    static double[] constant(int n, double v) {
        double[] c = new double[n];
        java.util.Arrays.fill(c, v);
        return c;
    }

    private void applyPairBlock(LinearPair p, int g, double[][] a) {
        double[][] dual = Matrices.transpose(Matrices.inverse(a));
        int group = p.heads() / p.kvHeads();
        for (boolean left : new boolean[] {true, false}) {
            for (int h : headsOf(p, left, g)) {
                for (BlockTouch t : left ? p.left() : p.right()) {
                    work.get(t.parameter()).multiply(t.axis(), t.offset() + (long) h * p.headDim(), left ? a : dual);
                }
            }
        }
        assert group >= 1;
    }

    /** The blocks of one side that kv-head g's matrix acts on (the group's query heads, or g itself). */
    static int[] headsOf(LinearPair p, boolean left, int g) {
        if (!p.queryIndexed(left)) return new int[] {g};
        int group = p.heads() / p.kvHeads();
        int[] h = new int[group];
        for (int i = 0; i < group; i++) h[i] = g * group + i;
        return h;
    }

    /** The stacked block matrix (rows: every other index of every touch) of head blocks on one side of a pair. */
    static double[][] sideMatrix(Map<String, Tensor64> params, LinearPair p, boolean left, int g) {
        List<double[]> rows = new ArrayList<>();
        for (int h : headsOf(p, left, g)) {
            for (BlockTouch t : left ? p.left() : p.right()) {
                double[][] m = params.get(t.parameter()).block(t.axis(), t.offset() + (long) h * p.headDim(), p.headDim());
                // the query side stacks its heads as extra rows: each query head uses the same A_g
                for (double[] r : m) rows.add(r);
            }
        }
        return rows.toArray(new double[0][]);
    }

    static double[] ones(long n) {
        double[] o = new double[Math.toIntExact(n)];
        java.util.Arrays.fill(o, 1);
        return o;
    }
}
