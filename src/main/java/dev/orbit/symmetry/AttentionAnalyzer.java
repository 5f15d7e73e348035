package dev.orbit.symmetry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.orbit.eval.ShapeInference;
import dev.orbit.graph.Dim;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueInfo;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.OpRegistry;
import dev.orbit.tensor.NdArray;

/**
 * Finds attention: MatMul of two activations. Every output of a linear map with constant W (a projection) is
 * tracked forward through the ops attention uses between projections — per-channel bias, Slice of a fused
 * projection, Reshape that splits the channels into (heads, head dim) or merges them back, Transpose, scalar
 * Mul/Div — remembering which parameter columns each channel comes from. MatMul(q, kᵀ) of two tracked values
 * contracting the head dimension is a query–key pair; MatMul(P, v) then a linear map reading the merged heads
 * is a value–output pair. A tracked value that reaches any other op (or a network output) disqualifies its
 * projection: changing it would change something the analysis does not follow. Reshapes are interpreted with
 * concrete shapes (dynamic batch set to {@value #PROBE_BATCH}).
 */
final class AttentionAnalyzer {
    /** A batch size that is unlikely to coincide with a head count or a sequence length. */
    static final long PROBE_BATCH = 7;

    private record ParamAxis(String parameter, int axis) {}

    /**
     * A tracked value: its channels are columns offset.. of {@code params}. {@code heads} = 0 until a reshape
     * splits the channels into heads of {@code headDim}; {@code headAxis} ≥ 0 while the head index sits in its
     * own axis (as the minor factor of that axis: head = index mod heads), {@code dimAxis} holds the channel
     * (or, once split, the index within a head). {@code attention} ≥ 0 for P·v products.
     */
    private record Track(int chain, List<ParamAxis> params, long offset, long channels, int heads, long headDim,
                         int headAxis, int dimAxis, int attention) {
        Track with(int headAxis, int dimAxis) {
            return new Track(chain, params, offset, channels, heads, headDim, headAxis, dimAxis, attention);
        }

        int headCount() { return heads == 0 ? 1 : heads; }

        long blockSize() { return heads == 0 ? channels : headDim; }
    }

    /** A chain of tracked values from one projection (or one Slice of it, or one P·v product). */
    private record Chain(int parent, String origin, String[] escape) {}

    /** What a score tensor has been through since q·kᵀ. */
    private record ScoreTrack(int pair, AttentionBlock.Score score, boolean homogeneous) {}

    private record PendingAttention(int queryKey, AttentionBlock.Score score, boolean homogeneous, int heads, int headDim,
                                    List<BlockTouch> value, int valueChain, String origin) {}

    private record PendingPair(LinearPair.Kind kind, int heads, int headDim, List<BlockTouch> left, List<BlockTouch> right,
                               int leftChain, int rightChain, int attention, String origin) {}

    private final Graph graph;
    private final Map<String, ValueType> types;
    private final Map<String, Track> tracks = new HashMap<>();
    private final Map<String, ScoreTrack> scores = new HashMap<>();
    private final List<Chain> chains = new ArrayList<>();
    private final List<PendingPair> pairs = new ArrayList<>();
    private final List<PendingAttention> attentions = new ArrayList<>();
    private final Map<Integer, Integer> outputPairOf = new HashMap<>();
    private final List<String> notes = new ArrayList<>();

    private AttentionAnalyzer(Model model, OpRegistry registry) {
        this.graph = model.graph();
        this.types = concreteTypes(model, registry);
    }

    record Result(List<LinearPair> pairs, List<AttentionBlock> attentions, List<String> notes) {}

    static Result analyze(Model model, OpRegistry registry) { return new AttentionAnalyzer(model, registry).run(); }

    private static Map<String, ValueType> concreteTypes(Model model, OpRegistry registry) {
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
        for (ValueInfo o : graph.outputs()) escape(o.name(), "network output");
        return resolve();
    }

    // ---- helpers ----

    private boolean isParam(String v) { return !v.isEmpty() && graph.isParameter(v); }

    private long[] shape(String v) {
        ValueType t = types.get(v);
        if (t == null || t.shape() == null || !t.shape().isFullyKnown()) return null;
        return t.shape().sizes();
    }

    private int rank(String v) {
        ValueType t = types.get(v);
        return t == null || t.shape() == null ? -1 : t.shape().rank();
    }

    private long[] intValues(String v) {
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

    private boolean isScalarConstant(String v) {
        return isParam(v) && graph.parameter(v).size() == 1 && graph.parameter(v).dtype().isFloating();
    }

    private int newChain(int parent, String origin) {
        chains.add(new Chain(parent, origin, new String[1]));
        return chains.size() - 1;
    }

    /** Why a chain (or one it was sliced from) may not move, or null. */
    private String escaped(int chain) {
        for (int c = chain; c >= 0; c = chains.get(c).parent()) {
            String why = chains.get(c).escape()[0];
            if (why != null) return chains.get(c).origin() + " also feeds " + why;
        }
        return null;
    }

    private void escape(String value, String why) {
        Track t = tracks.get(value);
        if (t != null && chains.get(t.chain()).escape()[0] == null) chains.get(t.chain()).escape()[0] = why;
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

    // ---- the rules ----

    private void visit(Node n) {
        if (!n.isStandardDomain()) {
            n.inputs().forEach(in -> escape(in, "op " + n.domain() + "::" + n.opType()));
            return;
        }
        boolean handled = switch (n.opType()) {
            case "MatMul" -> matmul(n);
            case "Gemm" -> gemm(n);
            case "Add" -> add(n);
            case "Mul", "Div" -> scalarFactor(n);
            case "Slice" -> slice(n);
            case "Reshape" -> reshape(n);
            case "Transpose" -> transpose(n);
            case "Identity", "Dropout" -> pass(n);
            case "Cast" -> types.get(n.output(0)) != null && types.get(n.output(0)).dtype().isFloating() && pass(n);
            case "Relu", "Softmax" -> scoreOp(n);
            case "Shape" -> true; // reads only the shape, which no move changes
            default -> false;
        };
        if (!handled) for (String in : n.inputs()) escape(in, label(n));
    }

    private boolean pass(Node n) {
        Track t = tracks.get(n.input(0));
        if (t != null) tracks.put(n.output(0), t);
        ScoreTrack s = scores.get(n.input(0));
        if (s != null) scores.put(n.output(0), s);
        return true;
    }

    private boolean matmul(Node n) {
        String a = n.input(0);
        String b = n.input(1);
        Track ta = tracks.get(a);
        Track tb = tracks.get(b);
        if (isParam(b) && !isParam(a) && graph.parameter(b).rank() == 2) {
            NdArray w = graph.parameter(b);
            if (ta != null) reader(n, ta, b, 0, w.dim(0), a);
            int r = rank(a);
            if (r >= 1) {
                int c = newChain(-1, label(n));
                tracks.put(n.output(0), new Track(c, List.of(new ParamAxis(b, 1)), 0, w.dim(1), 0, w.dim(1), -1, r - 1, -1));
            }
            return true;
        }
        if (isParam(a) || isParam(b)) return false;
        if (ta != null && tb != null && ta.attention() < 0 && tb.attention() < 0) return queryKey(n, ta, tb);
        if (tb != null && ta == null && tb.attention() < 0) return probabilitiesTimesValues(n, tb);
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
        long out = wt.dim(tb ? 0 : 1);
        List<ParamAxis> params = new ArrayList<>();
        params.add(new ParamAxis(w, tb ? 0 : 1));
        String bias = n.input(2);
        if (!bias.isEmpty()) {
            if (!isParam(bias)) return true;
            NdArray b = graph.parameter(bias);
            if (b.rank() == 1 && b.dim(0) == out) params.add(new ParamAxis(bias, 0));
            else if (b.size() != 1 || b.getAsDouble(0) != 0) return true; // a shared bias is not linear in the block
        }
        int c = newChain(-1, label(n));
        tracks.put(n.output(0), new Track(c, params, 0, out, 0, out, -1, 1, -1));
        return true;
    }

    /** A linear map reading a tracked value: the end of a value chain (→ value–output pair) or an escape. */
    private void reader(Node n, Track t, String w, int axis, long in, String value) {
        int r = rank(value);
        boolean merged = t.headAxis() < 0 && t.dimAxis() == r - 1 && t.channels() == in;
        if (t.attention() >= 0 && merged) {
            PendingAttention att = attentions.get(t.attention());
            pairs.add(new PendingPair(LinearPair.Kind.VALUE_OUTPUT, t.headCount(), Math.toIntExact(t.blockSize()),
                    att.value(), List.of(new BlockTouch(w, axis, 0)), att.valueChain(), t.chain(), t.attention(), label(n)));
            outputPairOf.put(t.attention(), pairs.size() - 1);
        } else {
            escape(value, label(n) + (t.attention() >= 0 ? " with the heads not merged back" : ""));
        }
    }

    private boolean queryKey(Node n, Track q, Track k) {
        int ra = rank(n.input(0));
        int rb = rank(n.input(1));
        boolean heads = q.headCount() == k.headCount() && q.blockSize() == k.blockSize();
        boolean contracted = q.dimAxis() == ra - 1 && k.dimAxis() == rb - 2;
        boolean headAxes = q.headAxis() < 0 && k.headAxis() < 0 && q.headCount() == 1
                || q.headAxis() >= 0 && k.headAxis() >= 0 && q.headAxis() - ra == k.headAxis() - rb && q.headAxis() < ra - 2;
        if (!heads || !contracted || !headAxes) {
            notes.add(label(n) + ": product of two projections that does not contract one head dimension");
            return false;
        }
        pairs.add(new PendingPair(LinearPair.Kind.QUERY_KEY, q.headCount(), Math.toIntExact(q.blockSize()), touches(q), touches(k),
                q.chain(), k.chain(), -1, label(n)));
        scores.put(n.output(0), new ScoreTrack(pairs.size() - 1, AttentionBlock.Score.LINEAR, true));
        return true;
    }

    private boolean probabilitiesTimesValues(Node n, Track v) {
        int rv = rank(n.input(1));
        int ro = rank(n.output(0));
        if (v.dimAxis() != rv - 1 || v.headAxis() >= rv - 2 || ro < rv) return false;
        ScoreTrack s = scores.get(n.input(0));
        int shift = ro - rv;
        attentions.add(new PendingAttention(s == null ? -1 : s.pair(), s == null ? AttentionBlock.Score.OTHER : s.score(),
                s != null && s.homogeneous(), v.headCount(), Math.toIntExact(v.blockSize()), touches(v), v.chain(), label(n)));
        int c = newChain(-1, label(n));
        tracks.put(n.output(0), new Track(c, v.params(), v.offset(), v.channels(), v.heads(), v.headDim(),
                v.headAxis() < 0 ? -1 : v.headAxis() + shift, v.dimAxis() + shift, attentions.size() - 1));
        return true;
    }

    private boolean add(Node n) {
        String a = n.input(0);
        String b = n.input(1);
        Track t = tracks.get(a) != null ? tracks.get(a) : tracks.get(b);
        String other = tracks.get(a) != null ? b : a;
        ScoreTrack s = scores.get(a) != null ? scores.get(a) : scores.get(b);
        if (s != null && tracks.get(a) == null && tracks.get(b) == null) {
            // a mask or bias added to the scores: q·kᵀ is unchanged by the pair, but f(cs + m) ≠ c·f(s + m)
            String o = scores.get(a) != null ? b : a;
            if (scores.get(o) == null) scores.put(n.output(0), new ScoreTrack(s.pair(), s.score(), false));
            return true;
        }
        if (t == null) return true;
        if (tracks.get(other) != null || !isParam(other)) return false;
        NdArray c = graph.parameter(other);
        int r = rank(n.output(0));
        boolean leadingOnes = c.rank() >= 1 && c.rank() <= r;
        for (int i = 0; i < c.rank() - 1; i++) leadingOnes &= c.dim(i) == 1;
        boolean perChannel = leadingOnes && t.offset() == 0 && t.heads() == 0 && t.dimAxis() == r - 1
                && c.dim(c.rank() - 1) == t.channels() && t.attention() < 0;
        if (!perChannel) return false; // x + shared constant is affine, not linear: (x + c)·A ≠ x·A + c
        List<ParamAxis> params = new ArrayList<>(t.params());
        params.add(new ParamAxis(other, c.rank() - 1));
        tracks.put(n.output(0), new Track(t.chain(), params, t.offset(), t.channels(), t.heads(), t.headDim(), t.headAxis(),
                t.dimAxis(), t.attention()));
        return true;
    }

    private boolean scalarFactor(Node n) {
        String a = n.input(0);
        String b = n.input(1);
        boolean div = n.opType().equals("Div");
        String value = tracks.containsKey(a) || scores.containsKey(a) || div ? a : b;
        String factor = value.equals(a) ? b : a;
        if (!isScalarConstant(factor)) {
            return !tracks.containsKey(a) && !tracks.containsKey(b);
        }
        Track t = tracks.get(value);
        if (t != null) tracks.put(n.output(0), t);
        ScoreTrack s = scores.get(value);
        if (s != null) scores.put(n.output(0), s);
        return true;
    }

    private boolean scoreOp(Node n) {
        if (tracks.containsKey(n.input(0))) return false;
        ScoreTrack s = scores.get(n.input(0));
        if (s == null) return true;
        AttentionBlock.Score next;
        if (n.opType().equals("Relu")) {
            next = s.score() == AttentionBlock.Score.LINEAR ? AttentionBlock.Score.RELU : AttentionBlock.Score.OTHER;
            scores.put(n.output(0), new ScoreTrack(s.pair(), next, s.homogeneous()));
        } else {
            int r = rank(n.input(0));
            long axis = n.attributes().getInt("axis", -1);
            boolean lastAxis = axis == -1 || axis == r - 1;
            next = s.score() == AttentionBlock.Score.LINEAR && lastAxis ? AttentionBlock.Score.SOFTMAX : AttentionBlock.Score.OTHER;
            scores.put(n.output(0), new ScoreTrack(s.pair(), next, false));
        }
        return true;
    }

    private boolean slice(Node n) {
        Track t = tracks.get(n.input(0));
        if (t == null) return true;
        int r = rank(n.input(0));
        long[] starts = intValues(n.input(1));
        long[] ends = intValues(n.input(2));
        long[] axes = n.inputs().size() > 3 ? intValues(n.input(3)) : new long[] {0};
        long[] steps = n.inputs().size() > 4 && !n.input(4).isEmpty() ? intValues(n.input(4)) : new long[] {1};
        if (starts == null || ends == null || axes == null || steps == null || starts.length != 1 || axes.length != 1
                || steps[0] != 1 || t.heads() != 0 || t.attention() >= 0) return false;
        long axis = axes[0] < 0 ? axes[0] + r : axes[0];
        if (axis != t.dimAxis()) return false;
        long start = Math.clamp(starts[0] < 0 ? starts[0] + t.channels() : starts[0], 0, t.channels());
        long end = Math.clamp(ends[0] < 0 ? ends[0] + t.channels() : ends[0], 0, t.channels());
        if (end <= start) return false;
        int c = newChain(t.chain(), label(n));
        tracks.put(n.output(0), new Track(c, t.params(), t.offset() + start, end - start, 0, end - start, -1, t.dimAxis(), -1));
        return true;
    }

    private boolean transpose(Node n) {
        Track t = tracks.get(n.input(0));
        if (t == null) return true;
        int r = rank(n.input(0));
        long[] perm = n.attributes().getInts("perm", null);
        if (perm == null) {
            perm = new long[r];
            for (int i = 0; i < r; i++) perm[i] = r - 1 - i;
        }
        int head = -1;
        int dim = -1;
        for (int i = 0; i < perm.length; i++) {
            if (perm[i] == t.headAxis()) head = i;
            if (perm[i] == t.dimAxis()) dim = i;
        }
        tracks.put(n.output(0), t.with(head, dim));
        return true;
    }

    /**
     * With the channels contiguous at the end of the flat index (channel axis last, or head axis then head-dim
     * axis last), a reshape keeps them whole, splits them into heads (the head as the minor factor of the
     * second-to-last axis, which covers both [.., H, dh] and [.., B·H, dh]) or merges them back.
     */
    private boolean reshape(Node n) {
        Track t = tracks.get(n.input(0));
        if (t == null) return true;
        long[] in = shape(n.input(0));
        long[] out = shape(n.output(0));
        if (in == null || out == null || out.length == 0) return false;
        int r = in.length;
        long prefix;
        if (t.headAxis() < 0 && t.dimAxis() == r - 1) {
            prefix = product(in, 0, r - 1);
        } else if (t.headAxis() == r - 2 && t.dimAxis() == r - 1 && in[r - 2] % t.heads() == 0) {
            prefix = product(in, 0, r - 2) * (in[r - 2] / t.heads());
        } else {
            return false;
        }
        int ro = out.length;
        long channels = t.channels();
        if (out[ro - 1] == channels && product(out, 0, ro - 1) == prefix) {
            tracks.put(n.output(0), t.with(-1, ro - 1));
            return true;
        }
        long dh = out[ro - 1];
        if (ro >= 2 && dh > 0 && dh < channels && channels % dh == 0) {
            long h = channels / dh;
            boolean consistent = t.heads() == 0 || t.heads() == h;
            if (consistent && out[ro - 2] % h == 0 && product(out, 0, ro - 2) * (out[ro - 2] / h) == prefix) {
                tracks.put(n.output(0), new Track(t.chain(), t.params(), t.offset(), channels, Math.toIntExact(h), dh, ro - 2,
                        ro - 1, t.attention()));
                return true;
            }
        }
        return false;
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
            long width = (long) p.heads() * p.headDim();
            for (List<BlockTouch> side : List.of(p.left(), p.right())) {
                for (BlockTouch b : side) {
                    for (long k = 0; k < width; k++) {
                        Integer prev = claims.putIfAbsent(b.parameter() + "#" + b.axis() + "#" + (b.offset() + k), i);
                        if (prev != null && prev != i) {
                            valid[i] = false;
                            valid[prev] = false;
                            notes.add(p.origin() + " and " + pairs.get(prev).origin() + " share parameter " + b.parameter()
                                    + ": neither pair is moved");
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
            outPairs.add(new LinearPair(outPairs.size(), p.kind(), p.heads(), p.headDim(), p.left(), p.right(), p.origin()));
        }
        List<AttentionBlock> blocks = new ArrayList<>();
        for (int i = 0; i < attentions.size(); i++) {
            PendingAttention a = attentions.get(i);
            if (a.queryKey() < 0 || !ids.containsKey(a.queryKey()) || escaped(a.valueChain()) != null) continue;
            PendingPair qk = pairs.get(a.queryKey());
            if (qk.heads() != a.heads() || qk.headDim() != a.headDim()) continue;
            Integer vo = outputPairOf.get(i);
            int voId = vo != null && ids.containsKey(vo) ? ids.get(vo) : -1;
            List<BlockTouch> output = voId >= 0 ? outPairs.get(voId).right() : List.of();
            blocks.add(new AttentionBlock(blocks.size(), ids.get(a.queryKey()), voId, a.score(), a.homogeneous(), a.heads(),
                    a.headDim(), qk.left(), qk.right(), a.value(), output, a.origin()));
        }
        return new Result(outPairs, blocks, notes);
    }
}
