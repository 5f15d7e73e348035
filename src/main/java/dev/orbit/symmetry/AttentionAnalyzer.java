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
import dev.orbit.graph.Dim;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueInfo;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.OpRegistry;
import dev.orbit.ops.ParamAxis;
import dev.orbit.tensor.NdArray;

/**
 * Finds attention: MatMul of two activations. Every output of a linear map with constant W (a projection) is
 * tracked forward through the ops attention uses between projections — per-channel bias, Slice or Split of a fused
 * projection, Reshape that splits the channels into (heads, head dim), into (parts, heads, head dim) for a fused
 * q|k|v laid out by the reshape and picked by Gather, or merges them back, Transpose, Unsqueeze/Expand/Reshape that
 * repeat key/value heads for grouped-query attention, rotary embeddings in the rotate-half form (x·cos + [−x₂, x₁]·sin
 * with cos and sin equal on each rotary pair), scalar factors (constants or computed from shapes only) — remembering
 * which parameter columns each channel comes from. MatMul(q, kᵀ) of two tracked values contracting the head dimension
 * is a query–key pair; MatMul(P, v) then a linear map reading the merged heads is a value–output pair. A tracked value
 * that reaches any other op (or a network output) disqualifies its projection: changing it would change something the
 * analysis does not follow. The scores are followed (scalar factors, additive masks and biases, Where with a mask,
 * reshapes that keep the head axis, Relu, Softmax) to classify the attention and to decide whether whole heads may be
 * permuted: everything added to the scores must be the same for every head, or a constant indexed by head (a
 * relative-position bias), which then moves with the heads. Reshapes are interpreted with concrete shapes (dynamic
 * batch set to {@value #PROBE_BATCH}).
 */
final class AttentionAnalyzer implements ValueShapes {
    /** A batch size that is unlikely to coincide with a head count or a sequence length. */
    static final long PROBE_BATCH = 7;

    /**
     * A tracked value: its channels are columns offset.. of {@code params}. {@code heads} = 0 until a reshape splits
     * the channels into heads of {@code headDim} (for keys and values of grouped-query attention: the key/value heads,
     * each repeated {@code kvRepeat} times along the head axis). {@code headAxis} ≥ 0 while the head index sits in its
     * own axis (as the minor factor of that axis: head = index mod heads), {@code dimAxis} holds the channel (or, once
     * split, the index within a head), {@code partAxis} the part of a fused q|k|v split by a reshape ({@code parts}
     * of them), {@code pendingAxis} a unit axis next to the head axis that an Expand may turn into head repeats.
     * {@code attention} ≥ 0 for P·v products; {@code rope}: rotary embeddings applied.
     */
    private record Track(int chain, List<ParamAxis> params, long offset, long channels, int heads, long headDim,
                         int headAxis, int dimAxis, int attention, int parts, int partAxis, int kvRepeat, int pendingAxis,
                         boolean rope) {
        static Track flat(int chain, List<ParamAxis> params, long offset, long channels, int dimAxis) {
            return new Track(chain, params, offset, channels, 0, channels, -1, dimAxis, -1, 0, -1, 1, -1, false);
        }

        Track axes(int head, int dim, int part, int pending) {
            return new Track(chain, params, offset, channels, heads, headDim, head, dim, attention, parts, part, kvRepeat, pending, rope);
        }

        Track withHeads(int h, long dh, int head, int dim) {
            return new Track(chain, params, offset, channels, h, dh, head, dim, attention, parts, -1, kvRepeat, -1, rope);
        }

        boolean split() { return headAxis >= 0 || partAxis >= 0; }

        /** Heads along the head axis (key/value heads times their repeats). */
        int axisHeads() { return heads == 0 ? 1 : heads * kvRepeat; }

        int headCount() { return heads == 0 ? 1 : heads; }

        long blockSize() { return heads == 0 ? channels : headDim; }
    }

    /** A chain of tracked values from one projection (or one part of it, or one P·v product). */
    private record Chain(int parent, String origin, String[] escape) {}

    /** What a score tensor has been through since q·kᵀ; {@code headAxis}: where its heads lie (-1: one head). */
    private record ScoreTrack(int pair, AttentionBlock.Score score, boolean homogeneous, int headAxis) {}

    private enum RopeStage { LOW, HIGH, NEG_HIGH, ROTATED, COS, SIN }

    /** A value on the way through a rotary embedding of {@code source}. */
    private record RopePart(String source, RopeStage stage, String constant) {}

    private record PendingAttention(int queryKey, AttentionBlock.Score score, boolean homogeneous, int heads, int kvHeads,
                                    int headDim, List<BlockTouch> value, int valueChain, String origin) {}

    private record PendingPair(LinearPair.Kind kind, int heads, int kvHeads, int headDim, LinearPair.Group group,
                               List<BlockTouch> left, List<BlockTouch> right, int leftChain, int rightChain, int attention,
                               String origin) {}

    /** Per attention that the analysis can move: whether whole heads may be permuted, and what moves with them. */
    record Heads(int queryKey, int valueOutput, boolean permutable, String reason, List<BlockTouch> headIndexed) {}

    record Result(List<LinearPair> pairs, List<AttentionBlock> attentions, List<String> notes, Set<String> owned,
                  List<Heads> heads) {}

    private final Graph graph;
    private final Map<String, ValueType> types;
    private final Map<String, Track> tracks = new HashMap<>();
    private final Map<String, ScoreTrack> scores = new HashMap<>();
    private final Map<String, RopePart> ropes = new HashMap<>();
    private final List<Chain> chains = new ArrayList<>();
    private final List<PendingPair> pairs = new ArrayList<>();
    private final List<PendingAttention> attentions = new ArrayList<>();
    private final Map<Integer, Integer> outputPairOf = new HashMap<>();
    /** Per query–key pair: constants indexed by head added to its scores, and why heads may not move. */
    private final Map<Integer, List<BlockTouch>> headIndexed = new HashMap<>();
    private final Map<Integer, String> headBlocked = new HashMap<>();
    private final Map<String, Boolean> inputDependent = new HashMap<>();
    private final List<String> notes = new ArrayList<>();

    private AttentionAnalyzer(Model model, Map<String, ValueType> probeTypes) {
        this.graph = model.graph();
        this.types = probeTypes;
    }

    static Result analyze(Model model, OpRegistry registry) { return analyze(model, probeTypes(model, registry)); }

    /** The analysis on types inferred with {@link #probeTypes}. */
    static Result analyze(Model model, Map<String, ValueType> probeTypes) { return new AttentionAnalyzer(model, probeTypes).run(); }

    /** Types with every dynamic leading input dimension (the batch) set to {@value #PROBE_BATCH}. */
    static Map<String, ValueType> probeTypes(Model model, OpRegistry registry) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (ValueInfo in : model.graph().inputs()) {
            Shape s = in.type().shape();
            if (s == null || s.rank() == 0 || s.dim(0).isKnown()) continue;
            shapes.put(in.name(), s.with(0, Dim.of(PROBE_BATCH)));
        }
        return ShapeInference.infer(model, shapes, registry);
    }

    private Result run() {
        for (Node n : graph.nodes()) visit(n);
        for (ValueInfo o : graph.outputs()) consumedElsewhere(o.name(), "network output");
        return resolve();
    }

    // ---- helpers ----

    private boolean isParam(String v) { return !v.isEmpty() && graph.isParameter(v); }

    @Override
    public long[] shape(String v) {
        if (isParam(v)) return graph.parameter(v).shape();
        ValueType t = types.get(v);
        if (t == null || t.shape() == null || !t.shape().isFullyKnown()) return null;
        return t.shape().sizes();
    }

    @Override
    public int rank(String v) {
        if (isParam(v)) return graph.parameter(v).rank();
        ValueType t = types.get(v);
        return t == null || t.shape() == null ? -1 : t.shape().rank();
    }

    @Override
    public long dim(String v, int axis) {
        long[] s = shape(v);
        return s == null || axis < 0 || axis >= s.length ? -1 : s[axis];
    }

    @Override
    public long[] intValues(String v) {
        if (v.isEmpty()) return null;
        if (isParam(v)) return graph.parameter(v).toLongArray();
        ValueType t = types.get(v);
        if (t == null || !t.hasIntValues()) return null;
        long[] out = new long[t.intValues().size()];
        for (int i = 0; i < out.length; i++) {
            if (!(t.intValues().get(i) instanceof Dim.Known(long s))) return null;
            out[i] = s;
        }
        return out;
    }

    /** Whether a value depends on the network inputs' values (shapes do not count: no move changes them). */
    private boolean dependsOnInputs(String v) {
        if (v.isEmpty() || isParam(v)) return false;
        Boolean known = inputDependent.get(v);
        if (known != null) return known;
        Node p = graph.producer(v);
        boolean result = p == null || !p.opType().equals("Shape") && !p.opType().equals("Size")
                && p.inputs().stream().anyMatch(this::dependsOnInputs);
        inputDependent.put(v, result);
        return result;
    }

    /** A single number that no move changes: a constant, or computed from constants and shapes. */
    private boolean isInvariantScalar(String v) {
        long[] s = shape(v);
        if (s == null) return false;
        for (long d : s) if (d != 1) return false;
        ValueType t = types.get(v);
        boolean floating = isParam(v) ? graph.parameter(v).dtype().isFloating() : t != null && t.dtype().isFloating();
        return floating && !dependsOnInputs(v) && !tracks.containsKey(v) && !scores.containsKey(v);
    }

    private int newChain(int parent, String origin) {
        chains.add(new Chain(parent, origin, new String[1]));
        return chains.size() - 1;
    }

    /** Why a chain (or one it was cut from) may not move, or null. */
    private String escaped(int chain) {
        for (int c = chain; c >= 0; c = chains.get(c).parent()) {
            String why = chains.get(c).escape()[0];
            if (why != null) return chains.get(c).origin() + " also feeds " + why;
        }
        return null;
    }

    private void escape(String value, String why) {
        Track t = tracks.get(value);
        RopePart rp = ropes.get(value);
        if (t == null && rp != null) t = tracks.get(rp.source());
        if (t != null && chains.get(t.chain()).escape()[0] == null) chains.get(t.chain()).escape()[0] = why;
    }

    /** A value read by something the analysis does not follow: its projection may not move; scores block head moves. */
    private void consumedElsewhere(String value, String why) {
        escape(value, why);
        ScoreTrack s = scores.get(value);
        if (s != null) headBlocked.putIfAbsent(s.pair(), "its scores also feed " + why);
    }

    private static String label(Node n) { return n.opType() + " '" + n.label() + "'"; }

    private static long product(long[] s, int from, int to) {
        long p = 1;
        for (int i = from; i < to; i++) p *= s[i];
        return p;
    }

    private List<BlockTouch> touches(Track t) {
        List<BlockTouch> out = new ArrayList<>();
        for (ParamAxis p : t.params()) out.add(new BlockTouch(p.parameter(), p.axis(), t.offset()));
        return out;
    }

    private long[] axesOf(Node n, int input) {
        long[] axes = n.attributes().getInts("axes", null);
        if (axes == null && n.inputs().size() > input && !n.input(input).isEmpty()) axes = intValues(n.input(input));
        return axes;
    }

    // ---- the rules ----

    private void visit(Node n) {
        if (!n.isStandardDomain()) {
            n.inputs().forEach(in -> consumedElsewhere(in, "op " + n.domain() + "::" + n.opType()));
            return;
        }
        boolean handled = switch (n.opType()) {
            case "MatMul" -> matmul(n);
            case "Gemm" -> gemm(n);
            case "Add" -> add(n);
            case "Mul" -> mul(n);
            case "Div" -> scalarFactor(n);
            case "Neg" -> neg(n);
            case "Concat" -> concat(n);
            case "Slice" -> slice(n);
            case "Split" -> split(n);
            case "Gather" -> gather(n);
            case "Reshape" -> reshape(n);
            case "Transpose" -> transpose(n);
            case "Unsqueeze" -> unsqueeze(n);
            case "Expand" -> expand(n);
            case "Where" -> where(n);
            case "Identity", "Dropout" -> pass(n);
            case "Cast" -> types.get(n.output(0)) != null && types.get(n.output(0)).dtype().isFloating() && pass(n);
            case "Relu", "Softmax" -> scoreOp(n);
            case "Shape", "Size" -> true; // reads only the shape, which no move changes
            default -> false;
        };
        if (!handled) for (String in : n.inputs()) consumedElsewhere(in, label(n));
    }

    private boolean pass(Node n) {
        Track t = tracks.get(n.input(0));
        if (t != null) tracks.put(n.output(0), t);
        ScoreTrack s = scores.get(n.input(0));
        if (s != null) scores.put(n.output(0), s);
        return !ropes.containsKey(n.input(0));
    }

    private boolean matmul(Node n) {
        String a = n.input(0);
        String b = n.input(1);
        Track ta = tracks.get(a);
        Track tb = tracks.get(b);
        if (isParam(b) && !isParam(a) && graph.parameter(b).rank() == 2) {
            NdArray w = graph.parameter(b);
            if (ta != null) reader(n, ta, b, 0, w.dim(0), a);
            else if (ropes.containsKey(a) || scores.containsKey(a)) consumedElsewhere(a, label(n));
            int r = rank(a);
            if (r >= 1) {
                int c = newChain(-1, label(n));
                tracks.put(n.output(0), Track.flat(c, List.of(new ParamAxis(b, 1)), 0, w.dim(1), r - 1));
            }
            return true;
        }
        if (isParam(a) || isParam(b)) return false;
        if (ta != null && tb != null && ta.attention() < 0 && tb.attention() < 0) return queryKey(n, ta, tb);
        if (tb != null && ta == null && tb.attention() < 0 && !ropes.containsKey(a)) return probabilitiesTimesValues(n, tb);
        return false;
    }

    private boolean gemm(Node n) {
        var at = n.attributes();
        String x = n.input(0);
        String w = n.input(1);
        if (!isParam(w) || isParam(x) || at.getInt("transA", 0) != 0 || graph.parameter(w).rank() != 2) return false;
        boolean tb = at.getInt("transB", 0) != 0;
        NdArray wt = graph.parameter(w);
        Track t = tracks.get(x);
        if (t != null) reader(n, t, w, tb ? 1 : 0, wt.dim(tb ? 1 : 0), x);
        else if (ropes.containsKey(x) || scores.containsKey(x)) consumedElsewhere(x, label(n));
        long out = wt.dim(tb ? 0 : 1);
        List<ParamAxis> params = new ArrayList<>();
        params.add(new ParamAxis(w, tb ? 0 : 1));
        String bias = n.inputs().size() > 2 ? n.input(2) : "";
        if (!bias.isEmpty()) {
            if (!isParam(bias)) return true;
            NdArray b = graph.parameter(bias);
            if (b.rank() == 1 && b.dim(0) == out) params.add(new ParamAxis(bias, 0));
            else if (b.size() != 1 || b.getAsDouble(0) != 0) return true; // a shared bias is not linear in the block
        }
        int c = newChain(-1, label(n));
        tracks.put(n.output(0), Track.flat(c, params, 0, out, 1));
        return true;
    }

    /** A linear map reading a tracked value: the end of a value chain (→ value–output pair) or an escape. */
    private void reader(Node n, Track t, String w, int axis, long in, String value) {
        int r = rank(value);
        boolean merged = !t.split() && t.dimAxis() == r - 1 && t.channels() == in && t.pendingAxis() < 0;
        if (t.attention() >= 0 && merged) {
            PendingAttention att = attentions.get(t.attention());
            pairs.add(new PendingPair(LinearPair.Kind.VALUE_OUTPUT, att.heads(), att.kvHeads(), att.headDim(), LinearPair.Group.GL,
                    att.value(), List.of(new BlockTouch(w, axis, 0)), att.valueChain(), t.chain(), t.attention(), label(n)));
            outputPairOf.put(t.attention(), pairs.size() - 1);
        } else {
            escape(value, label(n) + (t.attention() >= 0 ? " with the heads not merged back" : ""));
        }
    }

    private boolean queryKey(Node n, Track q, Track k) {
        int ra = rank(n.input(0));
        int rb = rank(n.input(1));
        boolean shapes = q.blockSize() == k.blockSize() && q.parts() == 0 && k.parts() == 0 && q.kvRepeat() == 1
                && q.pendingAxis() < 0 && k.pendingAxis() < 0 && q.axisHeads() == k.axisHeads();
        boolean contracted = q.dimAxis() == ra - 1 && k.dimAxis() == rb - 2;
        boolean headAxes = q.headAxis() < 0 && k.headAxis() < 0 && q.axisHeads() == 1
                || q.headAxis() >= 0 && k.headAxis() >= 0 && q.headAxis() - ra == k.headAxis() - rb && q.headAxis() < ra - 2;
        if (!shapes || !contracted || !headAxes) {
            notes.add(label(n) + ": product of two projections that does not contract one head dimension");
            return false;
        }
        if (q.rope() != k.rope()) {
            notes.add(label(n) + ": rotary embeddings on only one of query and key");
            return false;
        }
        LinearPair.Group group = q.rope() ? LinearPair.Group.ROPE_COMMUTANT : LinearPair.Group.GL;
        pairs.add(new PendingPair(LinearPair.Kind.QUERY_KEY, q.headCount(), k.headCount(), Math.toIntExact(q.blockSize()), group,
                touches(q), touches(k), q.chain(), k.chain(), -1, label(n)));
        int ro = rank(n.output(0));
        scores.put(n.output(0), new ScoreTrack(pairs.size() - 1, AttentionBlock.Score.LINEAR, true,
                q.headAxis() < 0 ? -1 : q.headAxis() + (ro - ra)));
        return true;
    }

    private boolean probabilitiesTimesValues(Node n, Track v) {
        int rp = rank(n.input(0));
        int rv = rank(n.input(1));
        int ro = rank(n.output(0));
        if (v.dimAxis() != rv - 1 || v.headAxis() >= rv - 2 || ro < rv || v.parts() > 0 || v.pendingAxis() >= 0) return false;
        ScoreTrack s = scores.get(n.input(0));
        int shift = ro - rv;
        if (s != null && (v.headAxis() < 0 ? s.headAxis() >= 0 : s.headAxis() < 0 || s.headAxis() - rp != v.headAxis() - rv)) {
            headBlocked.putIfAbsent(s.pair(), "the attention weights' head axis does not line up with the values' (" + label(n) + ")");
        }
        int heads = v.axisHeads();
        attentions.add(new PendingAttention(s == null ? -1 : s.pair(), s == null ? AttentionBlock.Score.OTHER : s.score(),
                s != null && s.homogeneous(), heads, v.headCount(), Math.toIntExact(v.blockSize()), touches(v), v.chain(), label(n)));
        int c = newChain(-1, label(n));
        long channels = heads * v.blockSize();
        tracks.put(n.output(0), new Track(c, v.params(), v.offset(), channels, v.heads() == 0 ? 0 : heads, v.headDim(),
                v.headAxis() < 0 ? -1 : v.headAxis() + shift, v.dimAxis() + shift, attentions.size() - 1, 0, -1, 1, -1, false));
        return true;
    }

    private boolean add(Node n) {
        String a = n.input(0);
        String b = n.input(1);
        RopePart ra = ropes.get(a);
        RopePart rb = ropes.get(b);
        if (ra != null || rb != null) return ropeCombine(n, ra, rb);
        Track t = tracks.get(a) != null ? tracks.get(a) : tracks.get(b);
        String other = tracks.get(a) != null ? b : a;
        ScoreTrack s = scores.get(a) != null ? scores.get(a) : scores.get(b);
        if (s != null && tracks.get(a) == null && tracks.get(b) == null) {
            String o = scores.get(a) != null ? b : a;
            if (scores.get(o) != null) return false;
            // a mask or bias added to the scores: q·kᵀ is unchanged by the pair, but f(cs + m) ≠ c·f(s + m)
            scoreAddend(s, o, n);
            scores.put(n.output(0), new ScoreTrack(s.pair(), s.score(), false, s.headAxis()));
            return true;
        }
        if (t == null) return true;
        if (tracks.get(other) != null || !isParam(other)) return false;
        NdArray c = graph.parameter(other);
        int r = rank(n.output(0));
        boolean leadingOnes = c.rank() >= 1 && c.rank() <= r;
        for (int i = 0; i < c.rank() - 1; i++) leadingOnes &= c.dim(i) == 1;
        boolean perChannel = leadingOnes && t.offset() == 0 && !t.split() && t.heads() == 0 && t.dimAxis() == r - 1
                && c.dim(c.rank() - 1) == t.channels() && t.attention() < 0;
        if (!perChannel) return false; // x + shared constant is affine, not linear: (x + c)·A ≠ x·A + c
        List<ParamAxis> params = new ArrayList<>(t.params());
        params.add(new ParamAxis(other, c.rank() - 1));
        tracks.put(n.output(0), new Track(t.chain(), params, t.offset(), t.channels(), t.heads(), t.headDim(), t.headAxis(),
                t.dimAxis(), t.attention(), t.parts(), t.partAxis(), t.kvRepeat(), t.pendingAxis(), t.rope()));
        return true;
    }

    /** A tensor added to (or selected into) the scores: it must be the same for every head, or a constant indexed by head. */
    private void scoreAddend(ScoreTrack s, String o, Node n) {
        int r = rank(n.output(0));
        int ro = rank(o);
        if (s.headAxis() < 0 || ro < 0) {
            if (s.headAxis() >= 0) headBlocked.putIfAbsent(s.pair(), "the rank of a tensor added to its scores is unknown (" + label(n) + ")");
            return;
        }
        int aligned = s.headAxis() - (r - ro);
        long d = aligned < 0 ? 1 : dim(o, aligned);
        if (d == 1) return;
        if (isParam(o) && graph.parameter(o).dtype().isFloating() && d == dim(n.output(0), s.headAxis())) {
            headIndexed.computeIfAbsent(s.pair(), k -> new ArrayList<>()).add(new BlockTouch(o, aligned, 0));
        } else {
            headBlocked.putIfAbsent(s.pair(), "a tensor added to its scores differs between heads and is not a constant that could move with them ("
                    + label(n) + ")");
        }
    }

    private boolean mul(Node n) {
        String a = n.input(0);
        String b = n.input(1);
        RopePart ra = ropes.get(a);
        RopePart rb = ropes.get(b);
        Track ta = tracks.get(a);
        Track tb = tracks.get(b);
        // rotary embedding: x·cos or rotate_half(x)·sin with a constant that is the same for every head
        if ((ta != null && ta.split() && !ta.rope() || ra != null && ra.stage() == RopeStage.ROTATED) && tb == null && rb == null
                && rotaryConstant(n, a, b)) {
            ropes.put(n.output(0), new RopePart(ra != null ? ra.source() : a, ra != null ? RopeStage.SIN : RopeStage.COS, b));
            return true;
        }
        if ((tb != null && tb.split() && !tb.rope() || rb != null && rb.stage() == RopeStage.ROTATED) && ta == null && ra == null
                && rotaryConstant(n, b, a)) {
            ropes.put(n.output(0), new RopePart(rb != null ? rb.source() : b, rb != null ? RopeStage.SIN : RopeStage.COS, a));
            return true;
        }
        if (ra != null || rb != null) return false;
        return scalarFactor(n);
    }

    /** A constant multiplying a tracked value that could be a rotary cos or sin: invariant, the same for every head. */
    private boolean rotaryConstant(Node n, String x, String c) {
        if (isInvariantScalar(c) || tracks.containsKey(c) || scores.containsKey(c) || dependsOnInputs(c)) return false;
        Track t = tracks.get(x) != null ? tracks.get(x) : tracks.get(ropes.get(x).source());
        int r = rank(n.output(0));
        int rc = rank(c);
        if (t == null || rc < 0 || r < 0 || t.headAxis() < 0) return false;
        int head = t.headAxis() - (r - rc);
        int dimA = t.dimAxis() - (r - rc);
        return (head < 0 || dim(c, head) == 1) && dimA >= 0 && dim(c, dimA) == t.headDim();
    }

    private boolean scalarFactor(Node n) {
        String a = n.input(0);
        String b = n.input(1);
        boolean div = n.opType().equals("Div");
        String value = tracks.containsKey(a) || scores.containsKey(a) || div ? a : b;
        String factor = value.equals(a) ? b : a;
        if (!isInvariantScalar(factor)) {
            return !tracks.containsKey(a) && !tracks.containsKey(b) && !scores.containsKey(a) && !scores.containsKey(b)
                    && !ropes.containsKey(a) && !ropes.containsKey(b);
        }
        Track t = tracks.get(value);
        if (t != null) tracks.put(n.output(0), t);
        ScoreTrack s = scores.get(value);
        if (s != null) scores.put(n.output(0), s);
        return !ropes.containsKey(value);
    }

    private boolean scoreOp(Node n) {
        if (tracks.containsKey(n.input(0)) || ropes.containsKey(n.input(0))) return false;
        ScoreTrack s = scores.get(n.input(0));
        if (s == null) return true;
        AttentionBlock.Score next;
        if (n.opType().equals("Relu")) {
            next = s.score() == AttentionBlock.Score.LINEAR ? AttentionBlock.Score.RELU : AttentionBlock.Score.OTHER;
            scores.put(n.output(0), new ScoreTrack(s.pair(), next, s.homogeneous(), s.headAxis()));
        } else {
            int r = rank(n.input(0));
            long axis = n.attributes().getInt("axis", -1);
            if (axis < 0) axis += r;
            if (axis == s.headAxis()) headBlocked.putIfAbsent(s.pair(), "softmax over its heads");
            next = s.score() == AttentionBlock.Score.LINEAR && axis == r - 1 ? AttentionBlock.Score.SOFTMAX : AttentionBlock.Score.OTHER;
            scores.put(n.output(0), new ScoreTrack(s.pair(), next, false, s.headAxis()));
        }
        return true;
    }

    /** Where(mask, scores, fill) (or the branches swapped): a causal mask. */
    private boolean where(Node n) {
        ScoreTrack s = null;
        int branch = -1;
        for (int i = 1; i < n.inputs().size(); i++) {
            if (scores.containsKey(n.input(i))) {
                if (s != null) return false;
                s = scores.get(n.input(i));
                branch = i;
            }
        }
        for (String in : n.inputs()) if (tracks.containsKey(in) || ropes.containsKey(in)) return false;
        if (s == null) return !scores.containsKey(n.input(0));
        if (scores.containsKey(n.input(0))) return false;
        scoreAddend(s, n.input(0), n);
        scoreAddend(s, n.input(branch == 1 ? 2 : 1), n);
        scores.put(n.output(0), new ScoreTrack(s.pair(), s.score(), false, s.headAxis()));
        return true;
    }

    // ---- rotary embeddings: x·cos + concat(−x₂, x₁)·sin ----

    private boolean neg(Node n) {
        RopePart p = ropes.get(n.input(0));
        if (p != null && p.stage() == RopeStage.HIGH) {
            ropes.put(n.output(0), new RopePart(p.source(), RopeStage.NEG_HIGH, null));
            return true;
        }
        return !tracks.containsKey(n.input(0)) && !scores.containsKey(n.input(0)) && p == null;
    }

    private boolean concat(Node n) {
        boolean any = false;
        for (String in : n.inputs()) any |= tracks.containsKey(in) || ropes.containsKey(in) || scores.containsKey(in);
        if (!any) return true;
        if (n.inputs().size() != 2) return false;
        RopePart hi = ropes.get(n.input(0));
        RopePart lo = ropes.get(n.input(1));
        if (hi == null || lo == null || hi.stage() != RopeStage.NEG_HIGH || lo.stage() != RopeStage.LOW || !hi.source().equals(lo.source())) return false;
        Track t = tracks.get(hi.source());
        int r = rank(n.output(0));
        long axis = n.attributes().getInt("axis", 0);
        if (axis < 0) axis += r;
        if (axis != t.dimAxis()) return false;
        ropes.put(n.output(0), new RopePart(hi.source(), RopeStage.ROTATED, null));
        return true;
    }

    private boolean ropeCombine(Node n, RopePart a, RopePart b) {
        if (a == null || b == null || !a.source().equals(b.source())) return false;
        RopePart cos = a.stage() == RopeStage.COS ? a : b;
        RopePart sin = a.stage() == RopeStage.SIN ? a : b;
        if (cos.stage() != RopeStage.COS || sin.stage() != RopeStage.SIN) return false;
        Track t = tracks.get(a.source());
        if (!rotaryPairs(cos.constant(), t, n) || !rotaryPairs(sin.constant(), t, n)) {
            notes.add(label(n) + ": looks like a rotary embedding, but its cos/sin are not equal on the pairs (i, i + d/2)");
            return false;
        }
        tracks.put(n.output(0), new Track(t.chain(), t.params(), t.offset(), t.channels(), t.heads(), t.headDim(), t.headAxis(),
                t.dimAxis(), t.attention(), t.parts(), t.partAxis(), t.kvRepeat(), t.pendingAxis(), true));
        return true;
    }

    /** The constant's entries along the head dimension, traced to a parameter, are equal on each rotate-half pair. */
    private boolean rotaryPairs(String c, Track t, Node n) {
        int r = rank(n.output(0));
        int axis = t.dimAxis() - (r - rank(c));
        ParamAxis p = ConstantAxes.trace(this, graph, c, axis);
        if (p == null) return false;
        NdArray w = graph.parameter(p.parameter());
        long d = w.dim(p.axis());
        if (d % 2 != 0 || d != t.headDim()) return false;
        long[] shape = w.shape();
        long inner = product(shape, p.axis() + 1, shape.length);
        long outer = product(shape, 0, p.axis());
        for (long o = 0; o < outer; o++) {
            for (long i = 0; i < d / 2; i++) {
                for (long k = 0; k < inner; k++) {
                    double x = w.getAsDouble((o * d + i) * inner + k);
                    double y = w.getAsDouble((o * d + i + d / 2) * inner + k);
                    if (x != y) return false;
                }
            }
        }
        return true;
    }

    // ---- moving channels between axes ----

    private boolean slice(Node n) {
        Track t = tracks.get(n.input(0));
        if (t == null) return !ropes.containsKey(n.input(0)) && !scores.containsKey(n.input(0));
        int r = rank(n.input(0));
        long[] starts = intValues(n.input(1));
        long[] ends = intValues(n.input(2));
        long[] axes = n.inputs().size() > 3 && !n.input(3).isEmpty() ? intValues(n.input(3)) : new long[] {0};
        long[] steps = n.inputs().size() > 4 && !n.input(4).isEmpty() ? intValues(n.input(4)) : new long[] {1};
        if (starts == null || ends == null || axes == null || steps == null || starts.length != 1 || axes.length != 1
                || steps[0] != 1 || t.attention() >= 0 || t.parts() > 0 || t.pendingAxis() >= 0) return false;
        long axis = axes[0] < 0 ? axes[0] + r : axes[0];
        if (axis != t.dimAxis()) return false;
        long len = t.blockSize();
        long start = Math.clamp(starts[0] < 0 ? starts[0] + len : starts[0], 0, len);
        long end = Math.clamp(ends[0] < 0 ? ends[0] + len : ends[0], 0, len);
        if (end <= start) return false;
        if (t.split() && t.heads() > 0 && !t.rope()) {
            // a half of each head: the rotate-half of a rotary embedding
            if (start == 0 && end == len / 2) ropes.put(n.output(0), new RopePart(n.input(0), RopeStage.LOW, null));
            else if (start == len / 2 && end == len) ropes.put(n.output(0), new RopePart(n.input(0), RopeStage.HIGH, null));
            else return false;
            return true;
        }
        if (t.heads() != 0 || t.split()) return false;
        int c = newChain(t.chain(), label(n));
        tracks.put(n.output(0), Track.flat(c, t.params(), t.offset() + start, end - start, t.dimAxis()));
        return true;
    }

    /** Split of a fused projection along its channels: one part per output. */
    private boolean split(Node n) {
        Track t = tracks.get(n.input(0));
        if (t == null) return !ropes.containsKey(n.input(0)) && !scores.containsKey(n.input(0));
        int r = rank(n.input(0));
        long axis = n.attributes().getInt("axis", 0);
        if (axis < 0) axis += r;
        if (axis != t.dimAxis() || t.split() || t.heads() != 0 || t.attention() >= 0) return false;
        long start = 0;
        for (String out : n.outputs()) {
            long len = dim(out, (int) axis);
            if (len < 0) return false;
            if (!out.isEmpty()) {
                int c = newChain(t.chain(), label(n));
                tracks.put(out, Track.flat(c, t.params(), t.offset() + start, len, t.dimAxis()));
            }
            start += len;
        }
        return start == t.channels();
    }

    /** Gather of one index along the parts axis of a fused q|k|v laid out by a reshape: that part. */
    private boolean gather(Node n) {
        Track t = tracks.get(n.input(0));
        if (t == null) return !ropes.containsKey(n.input(0)) && !scores.containsKey(n.input(0)) && !tracks.containsKey(n.input(1));
        int r = rank(n.input(0));
        long axis = n.attributes().getInt("axis", 0);
        if (axis < 0) axis += r;
        long[] idx = intValues(n.input(1));
        if (axis != t.partAxis() || idx == null || idx.length != 1 || rank(n.input(1)) != 0) return false;
        long k = idx[0] < 0 ? idx[0] + t.parts() : idx[0];
        if (k < 0 || k >= t.parts()) return false;
        long part = t.channels() / t.parts();
        int c = newChain(t.chain(), label(n));
        int head = t.headAxis() > axis ? t.headAxis() - 1 : t.headAxis();
        int dimA = t.dimAxis() > axis ? t.dimAxis() - 1 : t.dimAxis();
        tracks.put(n.output(0), new Track(c, t.params(), t.offset() + k * part, part, t.heads(), t.headDim(), head, dimA, -1, 0,
                -1, 1, -1, false));
        return true;
    }

    private boolean transpose(Node n) {
        Track t = tracks.get(n.input(0));
        ScoreTrack s = scores.get(n.input(0));
        if (t == null && s == null) return !ropes.containsKey(n.input(0));
        int r = rank(n.input(0));
        long[] perm = n.attributes().getInts("perm", null);
        if (perm == null) {
            perm = new long[r];
            for (int i = 0; i < r; i++) perm[i] = r - 1 - i;
        }
        if (s != null) {
            scores.put(n.output(0), new ScoreTrack(s.pair(), s.score(), s.homogeneous(), where(perm, s.headAxis())));
            return true;
        }
        tracks.put(n.output(0), t.axes(where(perm, t.headAxis()), where(perm, t.dimAxis()), where(perm, t.partAxis()),
                where(perm, t.pendingAxis())));
        return true;
    }

    private static int where(long[] perm, int axis) {
        if (axis < 0) return -1;
        for (int i = 0; i < perm.length; i++) if (perm[i] == axis) return i;
        return -1;
    }

    /** Unsqueeze: axes shift; a new unit axis right after the head axis may become key/value head repeats. */
    private boolean unsqueeze(Node n) {
        Track t = tracks.get(n.input(0));
        if (t == null) return !ropes.containsKey(n.input(0)) && !scores.containsKey(n.input(0));
        long[] axes = axesOf(n, 1);
        int ro = rank(n.output(0));
        if (axes == null || ro < 0 || t.pendingAxis() >= 0 || t.parts() > 0) return false;
        java.util.TreeSet<Long> inserted = new java.util.TreeSet<>();
        for (long a : axes) inserted.add(a < 0 ? a + ro : a);
        int[] map = new int[ro - inserted.size()];
        int j = 0;
        for (int i = 0; i < ro; i++) if (!inserted.contains((long) i)) map[j++] = i;
        int head = t.headAxis() < 0 ? -1 : map[t.headAxis()];
        int pending = head >= 0 && inserted.contains((long) head + 1) ? head + 1 : -1;
        tracks.put(n.output(0), t.axes(head, map[t.dimAxis()], -1, pending));
        return true;
    }

    /** Expand: copies along axes of size 1; the tracked axes keep their sizes (a pending unit axis may grow). */
    private boolean expand(Node n) {
        Track t = tracks.get(n.input(0));
        if (t == null) return !ropes.containsKey(n.input(0)) && !scores.containsKey(n.input(0));
        long[] in = shape(n.input(0));
        long[] out = shape(n.output(0));
        if (in == null || out == null || t.parts() > 0) return false;
        int shift = out.length - in.length;
        for (int ax : new int[] {t.headAxis(), t.dimAxis()}) if (ax >= 0 && in[ax] != out[ax + shift]) return false;
        tracks.put(n.output(0), t.axes(t.headAxis() < 0 ? -1 : t.headAxis() + shift, t.dimAxis() + shift, -1,
                t.pendingAxis() < 0 ? -1 : t.pendingAxis() + shift));
        return true;
    }

    /**
     * With the channels contiguous at the end of the flat index (channel axis last, or head axis then head-dim axis
     * last), a reshape keeps them whole, splits them into heads (the head as the minor factor of the second-to-last
     * axis, which covers both [.., H, dh] and [.., B·H, dh]), into parts × heads × head dim, or merges them back; a
     * head axis followed by its repeats merges into grouped-query heads. Scores keep their head axis through reshapes
     * that leave it whole.
     */
    private boolean reshape(Node n) {
        long[] in = shape(n.input(0));
        long[] out = shape(n.output(0));
        ScoreTrack s = scores.get(n.input(0));
        if (s != null) {
            if (in == null || out == null) return false;
            int head = -1;
            if (s.headAxis() >= 0) {
                for (int o = 0; o < out.length && head < 0; o++) if (ConstantAxes.keptAxis(this, n.input(0), n.output(0), o) == s.headAxis()) head = o;
                if (head < 0) headBlocked.putIfAbsent(s.pair(), "a reshape of its scores mixes the head axis (" + label(n) + ")");
            }
            scores.put(n.output(0), new ScoreTrack(s.pair(), s.score(), s.homogeneous(), head));
            return true;
        }
        Track t = tracks.get(n.input(0));
        if (t == null) return !ropes.containsKey(n.input(0));
        if (in == null || out == null || out.length == 0) return false;
        int r = in.length;
        int ro = out.length;
        if (t.pendingAxis() >= 0) return mergeRepeats(n, t, in, out);
        if (t.parts() > 0) return false;
        long prefix;
        if (t.headAxis() < 0 && t.dimAxis() == r - 1) {
            prefix = product(in, 0, r - 1);
        } else if (t.headAxis() == r - 2 && t.dimAxis() == r - 1 && in[r - 2] % t.axisHeads() == 0 && t.kvRepeat() == 1) {
            prefix = product(in, 0, r - 2) * (in[r - 2] / t.axisHeads());
        } else {
            return false;
        }
        long channels = t.channels();
        if (out[ro - 1] == channels && product(out, 0, ro - 1) == prefix) {
            tracks.put(n.output(0), t.axes(-1, ro - 1, -1, -1));
            return true;
        }
        long dh = out[ro - 1];
        if (ro >= 2 && dh > 0 && dh < channels && channels % dh == 0) {
            long h = channels / dh;
            boolean consistent = t.heads() == 0 || t.heads() == h;
            if (consistent && out[ro - 2] % h == 0 && product(out, 0, ro - 2) * (out[ro - 2] / h) == prefix) {
                tracks.put(n.output(0), t.withHeads(Math.toIntExact(h), dh, ro - 2, ro - 1));
                return true;
            }
            long hp = out[ro - 2];
            if (ro >= 3 && t.heads() == 0 && hp > 0 && out[ro - 3] > 1 && out[ro - 3] * hp * dh == channels
                    && product(out, 0, ro - 3) == prefix) {
                int parts = Math.toIntExact(out[ro - 3]);
                tracks.put(n.output(0), new Track(t.chain(), t.params(), t.offset(), channels, Math.toIntExact(hp), dh, ro - 2, ro - 1,
                        t.attention(), parts, ro - 3, 1, -1, t.rope()));
                return true;
            }
        }
        return false;
    }

    /** [.., H, n, .., d] → [.., H·n, .., d]: each key/value head repeated n times (grouped-query attention). */
    private boolean mergeRepeats(Node n, Track t, long[] in, long[] out) {
        int h = t.headAxis();
        int p = t.pendingAxis();
        if (p != h + 1 || out.length != in.length - 1 || t.kvRepeat() != 1 || t.heads() == 0) return false;
        for (int i = 0; i < out.length; i++) {
            long want = i < h ? in[i] : i == h ? in[h] * in[p] : in[i + 1];
            if (out[i] != want) return false;
        }
        int dimA = t.dimAxis() > p ? t.dimAxis() - 1 : t.dimAxis();
        tracks.put(n.output(0), new Track(t.chain(), t.params(), t.offset(), t.channels(), t.heads(), t.headDim(), h, dimA,
                t.attention(), 0, -1, Math.toIntExact(in[p]), -1, t.rope()));
        return true;
    }

    // ---- resolution ----

    private Result resolve() {
        // a parameter block claimed by two pairs cannot move with two independent matrices
        Map<String, Integer> claims = new HashMap<>();
        boolean[] valid = new boolean[pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            PendingPair p = pairs.get(i);
            String why = escaped(p.leftChain()) != null ? escaped(p.leftChain()) : escaped(p.rightChain());
            valid[i] = why == null;
            if (why != null) notes.add(p.origin() + ": not moved, " + why);
            if (p.kind() == LinearPair.Kind.VALUE_OUTPUT) {
                PendingAttention att = attentions.get(p.attention());
                valid[i] &= att.valueChain() == p.leftChain();
            }
        }
        for (int i = 0; i < pairs.size(); i++) {
            if (!valid[i]) continue;
            PendingPair p = pairs.get(i);
            for (boolean leftSide : new boolean[] {true, false}) {
                boolean query = leftSide == (p.kind() == LinearPair.Kind.QUERY_KEY);
                long width = (long) (query ? p.heads() : p.kvHeads()) * p.headDim();
                for (BlockTouch b : leftSide ? p.left() : p.right()) {
                    for (long k = 0; k < width; k++) {
                        Integer prev = claims.putIfAbsent(b.parameter() + "#" + b.axis() + "#" + (b.offset() + k), i);
                        if (prev != null && prev != i) {
                            if (valid[i] || valid[prev]) {
                                notes.add(p.origin() + " and " + pairs.get(prev).origin() + " share parameter " + b.parameter()
                                        + ": neither pair is moved");
                            }
                            valid[i] = false;
                            valid[prev] = false;
                        }
                    }
                }
            }
        }
        Map<Integer, Integer> ids = new HashMap<>();
        List<LinearPair> outPairs = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            if (!valid[i]) continue;
            PendingPair p = pairs.get(i);
            ids.put(i, outPairs.size());
            outPairs.add(new LinearPair(outPairs.size(), p.kind(), p.heads(), p.kvHeads(), p.headDim(), p.group(), p.left(), p.right(),
                    p.origin()));
        }
        List<AttentionBlock> blocks = new ArrayList<>();
        List<Heads> heads = new ArrayList<>();
        for (int i = 0; i < attentions.size(); i++) {
            PendingAttention a = attentions.get(i);
            if (a.queryKey() < 0 || !ids.containsKey(a.queryKey()) || escaped(a.valueChain()) != null) continue;
            PendingPair qk = pairs.get(a.queryKey());
            if (qk.heads() != a.heads() || qk.kvHeads() != a.kvHeads() || qk.headDim() != a.headDim()) continue;
            Integer vo = outputPairOf.get(i);
            int voId = vo != null && ids.containsKey(vo) ? ids.get(vo) : -1;
            String blocked = headBlocked.get(a.queryKey());
            heads.add(new Heads(ids.get(a.queryKey()), voId, blocked == null, blocked == null ? "" : blocked,
                    headIndexed.getOrDefault(a.queryKey(), List.of())));
            if (qk.kvHeads() != qk.heads()) continue; // per-head scaling lies inside the shared matrices of grouped-query attention
            List<BlockTouch> output = voId >= 0 ? outPairs.get(voId).right() : List.of();
            blocks.add(new AttentionBlock(blocks.size(), ids.get(a.queryKey()), voId, a.score(), a.homogeneous(), a.heads(),
                    a.headDim(), qk.left(), qk.right(), a.value(), output, a.origin()));
        }
        return new Result(outPairs, blocks, notes, owned(valid), heads);
    }

    /** The values inside attentions the analysis moves: head-split projections, rotary steps, scores, P·v products. */
    private Set<String> owned(boolean[] valid) {
        boolean[] chainValid = new boolean[chains.size()];
        Set<Integer> scorePairs = new HashSet<>();
        for (int i = 0; i < pairs.size(); i++) {
            if (!valid[i]) continue;
            chainValid[pairs.get(i).leftChain()] = true;
            chainValid[pairs.get(i).rightChain()] = true;
            if (pairs.get(i).kind() == LinearPair.Kind.QUERY_KEY) scorePairs.add(i);
        }
        // a fused projection is the attention's when every part cut from it is
        Map<Integer, List<Integer>> children = new HashMap<>();
        for (int c = 0; c < chains.size(); c++) if (chains.get(c).parent() >= 0) children.computeIfAbsent(chains.get(c).parent(), k -> new ArrayList<>()).add(c);
        for (int c = chains.size() - 1; c >= 0; c--) {
            List<Integer> kids = children.get(c);
            if (kids != null && !chainValid[c] && chains.get(c).escape()[0] == null) chainValid[c] = kids.stream().allMatch(k -> chainValid[k]);
        }
        Set<String> out = new LinkedHashSet<>();
        tracks.forEach((v, t) -> {
            if (chainValid[t.chain()] && (t.split() || t.attention() >= 0 || t.rope() || t.pendingAxis() >= 0)) out.add(v);
        });
        ropes.forEach((v, p) -> {
            Track t = tracks.get(p.source());
            if (t != null && chainValid[t.chain()]) out.add(v);
        });
        scores.forEach((v, s) -> {
            if (scorePairs.contains(s.pair())) out.add(v);
        });
        return out;
    }
}
