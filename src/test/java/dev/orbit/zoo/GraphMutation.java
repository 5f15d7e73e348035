package dev.orbit.zoo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import dev.orbit.eval.ShapeInference;
import dev.orbit.graph.Attr;
import dev.orbit.graph.Attributes;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueType;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/**
 * One structural edit of a graph, the way other exporters write the same computation: a small sub-graph inserted on
 * one hidden value x (every reader of x reads the sub-graph's output instead). Kinds that keep channels whole
 * (reshape round trips, a split into groups, an NHWC transpose round trip with a channel-last per-channel Mul) and
 * kinds that break them (an interleave by Reshape/Transpose/Reshape, a softmax over pairs of channels), plus
 * decomposed LayerNorm and RMSNorm over one axis (new gains, the function changes on purpose). The edited model is a
 * new, valid model; the analysis must be right about it, whatever it decides.
 *
 * @param where picks the value among {@link #candidates}; {@code lastAxis} picks the axis (last, or axis 1) tried first
 */
record GraphMutation(Kind kind, int where, boolean lastAxis, long seed) {
    /** Channel-keeping: KEEP_RESHAPE, SPLIT_RESHAPE, TRANSPOSE_ROUND_TRIP; channel-breaking: INTERLEAVE_RESHAPE, PAIR_SOFTMAX. */
    enum Kind { KEEP_RESHAPE, SPLIT_RESHAPE, INTERLEAVE_RESHAPE, PAIR_SOFTMAX, TRANSPOSE_ROUND_TRIP, LAYER_NORM, RMS_NORM }

    /** A hidden value that a mutation may edit: float, computed from an input, not an output, static but the batch. */
    record Site(String value, long[] dims) {
        @Override public String toString() { return value + Arrays.toString(dims); }
    }

    /** The edited model and what was done (for failure messages). */
    record Applied(Model model, String description) {}

    /** Values a mutation can sit on, in graph order. */
    static List<Site> candidates(Model m) {
        Map<String, ValueType> types = ShapeInference.infer(m);
        Set<String> live = new HashSet<>();
        m.graph().inputs().forEach(i -> live.add(i.name()));
        Set<String> outputs = new HashSet<>();
        m.graph().outputs().forEach(o -> outputs.add(o.name()));
        List<Site> out = new ArrayList<>();
        for (Node n : m.graph().nodes()) {
            if (n.inputs().stream().noneMatch(live::contains)) continue;
            for (String v : n.outputs()) {
                live.add(v);
                ValueType t = types.get(v);
                if (v.isEmpty() || outputs.contains(v) || t == null || t.dtype() != DType.FLOAT32 || !t.hasShape()) continue;
                Shape s = t.shape();
                if (s.rank() < 2 || s.rank() > 4 || m.graph().consumers(v).isEmpty()) continue;
                long[] dims = new long[s.rank()];
                boolean known = true;
                for (int a = 1; a < s.rank(); a++) {
                    known &= s.dim(a).isKnown();
                    if (known) dims[a] = s.dim(a).size();
                }
                if (known) out.add(new Site(v, dims));
            }
        }
        return out;
    }

    /** The mutation on its site (the other axis when the chosen one has fewer than 4 entries or an odd number), or null. */
    Applied apply(Model m) {
        List<Site> sites = candidates(m);
        if (sites.isEmpty()) return null;
        Site site = sites.get(Math.floorMod(where, sites.size()));
        // a centred value under a square root is NaN: the edited model would not be a valid model
        if (kind == Kind.LAYER_NORM && reachesSqrt(m, site.value())) return null;
        int rank = site.dims().length;
        for (int axis : lastAxis ? new int[] {rank - 1, 1} : new int[] {1, rank - 1}) {
            long c = site.dims()[axis];
            if (c >= 4 && c % 2 == 0) return new Editor(m, site, axis, seed).edit(kind);
        }
        return null;
    }

    /** {@code v} is a norm's variance: read by a Sqrt, directly or after adding a constant (ε). */
    private static boolean reachesSqrt(Model m, String v) {
        for (Node c : m.graph().consumers(v)) {
            if (c.opType().equals("Sqrt")) return true;
            if (c.opType().equals("Add") && c.inputs().stream().anyMatch(m.graph()::isParameter) && reachesSqrt(m, c.output(0))) return true;
        }
        return false;
    }

    @Override public String toString() { return kind + (lastAxis ? " on the last axis" : " on axis 1") + " of value #" + where; }

    /** Builds the inserted nodes and rewires the readers. */
    private static final class Editor {
        private final Model model;
        private final Site site;
        private final int axis;
        private final SplittableRandom rng;
        private final String prefix;
        private final List<Node> added = new ArrayList<>();
        private final Map<String, NdArray> params = new LinkedHashMap<>();
        private int counter;

        Editor(Model model, Site site, int axis, long seed) {
            this.model = model;
            this.site = site;
            this.axis = axis;
            this.rng = new SplittableRandom(seed);
            this.prefix = "mutation" + model.graph().nodes().size() + "_";
        }

        private long[] dims() { return site.dims(); }

        private long c() { return dims()[axis]; }

        private long before() {
            long p = 1;
            for (int a = 1; a < axis; a++) p *= dims()[a];
            return p;
        }

        private long after() {
            long p = 1;
            for (int a = axis + 1; a < dims().length; a++) p *= dims()[a];
            return p;
        }

        private String fresh() { return prefix + (counter++); }

        private String node(String op, Attributes attrs, String... inputs) {
            String out = fresh();
            added.add(new Node(out + "_node", op, List.of(inputs), List.of(out), attrs));
            return out;
        }

        private String constant(NdArray value) {
            String name = fresh();
            params.put(name, value);
            return name;
        }

        private String longs(long... v) { return constant(NdArray.ofLongs(v, v.length)); }

        private String scalar(float v) { return constant(NdArray.ofFloats(new float[] {v})); }

        /** Per-channel values broadcasting on {@code position} of a rank-{@code rank} tensor. */
        private String perChannel(int position, int rank, boolean signed) {
            float[] v = new float[Math.toIntExact(c())];
            for (int i = 0; i < v.length; i++) v[i] = (float) ((signed && rng.nextBoolean() ? -1 : 1) * rng.nextDouble(0.5, 1.5));
            long[] shape = new long[rank - position];
            Arrays.fill(shape, 1);
            shape[0] = c();
            return constant(NdArray.ofFloats(v, shape));
        }

        private String reshape(String x, long... shape) { return node("Reshape", Attributes.NONE, x, longs(shape)); }

        private String transpose(String x, long... perm) { return node("Transpose", Attributes.NONE.with("perm", new Attr.Ints(perm)), x); }

        private String reduceMean(String x) {
            if (model.opset() >= 18) return node("ReduceMean", Attributes.NONE.with("keepdims", new Attr.Int(1)), x, longs(axis));
            return node("ReduceMean", Attributes.NONE.with("axes", new Attr.Ints(new long[] {axis})).with("keepdims", new Attr.Int(1)), x);
        }

        private long[] original() {
            long[] s = dims().clone();
            s[0] = 0;  // Reshape's 0 copies the batch
            return s;
        }

        private long group() {
            for (long g = 2; g < c(); g++) if (c() % g == 0 && g * g >= c()) return g;
            return 2;
        }

        Applied edit(Kind kind) {
            String x = site.value();
            int rank = dims().length;
            String y = switch (kind) {
                case KEEP_RESHAPE -> reshape(reshape(x, 0, before(), c(), after()), original());
                case SPLIT_RESHAPE -> reshape(reshape(x, 0, before(), group(), c() / group(), after()), original());
                case INTERLEAVE_RESHAPE -> reshape(transpose(reshape(x, 0, before(), group(), c() / group(), after()), 0, 1, 3, 2, 4), original());
                case PAIR_SOFTMAX -> {
                    // channels (2i, 2i+1) share one softmax; Softmax on the last axis means the same at every opset
                    String pairs = transpose(reshape(x, 0, before(), c() / 2, 2, after()), 0, 1, 2, 4, 3);
                    String soft = node("Softmax", Attributes.NONE.with("axis", new Attr.Int(4)), pairs);
                    yield reshape(transpose(soft, 0, 1, 2, 4, 3), original());
                }
                case TRANSPOSE_ROUND_TRIP -> {
                    // move the axis last (or, when it is last, to position 1; on a matrix, to 0: [0, 1] would be the identity,
                    // which ONNX Runtime's Gemm fusion takes for a transpose), scale per channel there, move it back
                    int to = axis != rank - 1 ? rank - 1 : rank > 2 ? 1 : 0;
                    long[] perm = new long[rank];
                    List<Long> rest = new ArrayList<>();
                    for (int a = 0; a < rank; a++) if (a != axis) rest.add((long) a);
                    rest.add(to, (long) axis);
                    for (int a = 0; a < rank; a++) perm[a] = rest.get(a);
                    long[] inverse = new long[rank];
                    for (int a = 0; a < rank; a++) inverse[Math.toIntExact(perm[a])] = a;
                    String moved = transpose(x, perm);
                    // positive factors: the site may be a norm's variance, and a negative one would make it NaN
                    String scaled = node("Mul", Attributes.NONE, moved, perChannel(to, rank, false));
                    yield transpose(scaled, inverse);
                }
                case LAYER_NORM -> {
                    String centred = node("Sub", Attributes.NONE, x, reduceMean(x));
                    String variance = reduceMean(node("Pow", Attributes.NONE, centred, scalar(2f)));
                    String std = node("Sqrt", Attributes.NONE, node("Add", Attributes.NONE, variance, scalar(1e-5f)));
                    String normed = node("Div", Attributes.NONE, centred, std);
                    String gained = node("Mul", Attributes.NONE, normed, perChannel(axis, rank, false));
                    yield node("Add", Attributes.NONE, gained, perChannel(axis, rank, true));
                }
                case RMS_NORM -> {
                    String meanSquare = reduceMean(node("Pow", Attributes.NONE, x, scalar(2f)));
                    String rms = node("Sqrt", Attributes.NONE, node("Add", Attributes.NONE, meanSquare, scalar(1e-6f)));
                    String inverse = node("Div", Attributes.NONE, scalar(1f), rms);
                    yield node("Mul", Attributes.NONE, node("Mul", Attributes.NONE, x, inverse), perChannel(axis, rank, false));
                }
            };
            return new Applied(rewire(x, y), kind + " on " + site + " axis " + axis);
        }

        /** Every reader of x reads y; the new nodes (which read x) go right after x's producer, so the order stays topological. */
        private Model rewire(String x, String y) {
            List<Node> nodes = new ArrayList<>();
            for (Node n : model.graph().nodes()) {
                boolean reads = n.inputs().contains(x);
                nodes.add(reads ? n.withInputs(n.inputs().stream().map(i -> i.equals(x) ? y : i).toList()) : n);
                if (n.outputs().contains(x)) nodes.addAll(added);
            }
            Map<String, NdArray> all = new LinkedHashMap<>(model.graph().parameters());
            all.putAll(params);
            return model.withGraph(model.graph().withNodes(nodes, all));
        }
    }
}
