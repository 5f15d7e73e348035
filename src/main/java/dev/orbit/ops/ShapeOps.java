package dev.orbit.ops;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.ge;
import static org.bytedeco.pytorch.global.torch.mul;
import static org.bytedeco.pytorch.global.torch.ones_like;
import static org.bytedeco.pytorch.global.torch.rand_like;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import dev.orbit.graph.Dim;
import dev.orbit.graph.ModelFormatException;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ShapeException;
import dev.orbit.graph.ValueType;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/**
 * Ops that move or relabel elements without computing on them: Flatten, Reshape, Squeeze, Unsqueeze,
 * Transpose, Identity, Dropout (inference), Shape, Cast, Expand. Small integer vectors keep their tracked
 * values through these ops so exporter-written shape arithmetic stays symbolic. Also home to the dimension
 * helpers the indexing and reduction rooms share.
 */
public final class ShapeOps implements OpFamily {
    @Override
    public Set<String> opTypes() {
        return Set.of("Flatten", "Reshape", "Squeeze", "Unsqueeze", "Transpose", "Identity", "Dropout", "Shape",
                "Cast", "Expand");
    }

    // ---------------------------------------------------------------- inference

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        return switch (node.opType()) {
            case "Flatten" -> OpSupport.one(inferFlatten(node, x));
            case "Reshape" -> OpSupport.one(inferReshape(node, ctx, x));
            case "Squeeze" -> OpSupport.one(inferSqueeze(node, ctx, x));
            case "Unsqueeze" -> OpSupport.one(inferUnsqueeze(node, ctx, x));
            case "Transpose" -> OpSupport.one(inferTranspose(node, x));
            case "Identity" -> OpSupport.one(x);
            case "Dropout" -> List.of(x, new ValueType(ctx.opset() >= 10 ? DType.BOOL : x.dtype(), x.shape()));
            case "Shape" -> OpSupport.one(inferShape(node, x));
            case "Cast" -> OpSupport.one(inferCast(node, x));
            case "Expand" -> OpSupport.one(inferExpand(node, ctx, x));
            default -> throw new IllegalStateException(node.opType());
        };
    }

    private static ValueType inferFlatten(Node node, ValueType x) {
        int r = x.rank();
        int a = flattenAxis(node, r);
        List<Dim> dims = x.shape().dims();
        return new ValueType(x.dtype(), Shape.of(product(dims.subList(0, a)), product(dims.subList(a, r))));
    }

    private static int flattenAxis(Node node, int rank) {
        long axis = node.attributes().getInt("axis", 1);
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a > rank) {
            throw new ShapeException("Flatten node '" + node.label() + "': axis " + axis + " is out of range for rank "
                    + rank);
        }
        return (int) a;
    }

    private static ValueType inferReshape(Node node, InferContext ctx, ValueType x) {
        List<Dim> target = ctx.intValues(1);
        if (target == null) return new ValueType(x.dtype(), unknownOfLength(ctx.require(node, 1)), null);
        boolean allowZero = node.attributes().getInt("allowzero", 0) != 0;
        List<Dim> in = x.shape().dims();
        List<Dim> out = new ArrayList<>(target.size());
        int minusOne = -1;
        List<Integer> open = new ArrayList<>();
        for (int i = 0; i < target.size(); i++) {
            Dim d = target.get(i);
            if (d instanceof Dim.Known(long v)) {
                if (v == 0 && !allowZero) {
                    if (i >= in.size()) {
                        throw new ShapeException("Reshape node '" + node.label() + "': 0 at position " + i
                                + " copies a dimension the input " + x.shape() + " does not have");
                    }
                    d = in.get(i);
                } else if (v == -1) {
                    if (minusOne >= 0) throw new ShapeException("Reshape node '" + node.label() + "': more than one -1 in " + target);
                    minusOne = i;
                    d = Dim.unknown();
                } else if (v < 0) {
                    throw new ShapeException("Reshape node '" + node.label() + "': invalid size " + v + " in " + target);
                }
            } else if (d instanceof Dim.Unknown) {
                open.add(i);
            }
            out.add(d);
        }
        // a computed (unknown) entry may be 0 or -1 at run time, but if it is the only open one the count decides it
        int hole = minusOne >= 0 ? (open.isEmpty() ? minusOne : -1) : (open.size() == 1 ? open.getFirst() : -1);
        if (hole >= 0) {
            List<Dim> others = new ArrayList<>(out);
            others.remove(hole);
            out.set(hole, solveFactor(node, in, others));
        } else if (minusOne < 0 && open.isEmpty()) {
            long a = new Shape(in).knownCount();
            long b = new Shape(out).knownCount();
            if (a >= 0 && b >= 0 && a != b) {
                throw new ShapeException("Reshape node '" + node.label() + "': cannot reshape " + x.shape() + " ("
                        + a + " elements) to " + new Shape(out) + " (" + b + ")");
            }
        }
        return new ValueType(x.dtype(), new Shape(out), x.intValues());
    }

    /**
     * The one open factor f with prod(in) = f · prod(others): symbols that appear on both sides cancel,
     * a lone remaining input symbol is f itself when the numbers balance. Unknown when it cannot be told.
     */
    static Dim solveFactor(Node node, List<Dim> in, List<Dim> others) {
        List<Dim> rest = new ArrayList<>();
        long p = 1;
        for (Dim d : in) {
            if (d instanceof Dim.Known(long v)) p *= v;
            else rest.add(d);
        }
        long q = 1;
        for (Dim d : others) {
            if (d instanceof Dim.Known(long v)) q *= v;
            else if (!(d instanceof Dim.Symbolic) || !rest.remove(d)) return Dim.unknown();
        }
        if (rest.stream().anyMatch(d -> d instanceof Dim.Unknown) || q == 0) return Dim.unknown();
        if (rest.isEmpty()) {
            if (p % q != 0) {
                throw new ShapeException(node.opType() + " node '" + node.label() + "': " + new Shape(in)
                        + " does not divide into " + new Shape(others) + " with one dimension inferred");
            }
            return Dim.of(p / q);
        }
        return rest.size() == 1 && p == q ? rest.getFirst() : Dim.unknown();
    }

    private static ValueType inferSqueeze(Node node, InferContext ctx, ValueType x) {
        IntArg axes = intArg(node, ctx, "axes", 1);
        List<Dim> in = x.shape().dims();
        List<Dim> out = new ArrayList<>();
        if (!axes.present() || axes.knownValues() != null && axes.knownValues().length == 0) {
            // squeeze every 1: the rank is only known when every dimension is a number
            for (Dim d : in) {
                if (!d.isKnown()) throw new InferContext.UnknownShapeSignal();
                if (d.size() != 1) out.add(d);
            }
        } else {
            long[] a = axes.knownValues();
            if (a == null) throw new InferContext.UnknownShapeSignal();
            boolean[] drop = axisMask(node, a, in.size());
            for (int i = 0; i < in.size(); i++) {
                if (!drop[i]) out.add(in.get(i));
                else if (in.get(i) instanceof Dim.Known(long v) && v != 1) {
                    throw new ShapeException("Squeeze node '" + node.label() + "': axis " + i + " of " + x.shape()
                            + " is not 1");
                }
            }
        }
        return new ValueType(x.dtype(), new Shape(out), x.intValues());
    }

    private static ValueType inferUnsqueeze(Node node, InferContext ctx, ValueType x) {
        long[] a = intArg(node, ctx, "axes", 1).knownValues();
        if (a == null) throw new InferContext.UnknownShapeSignal();
        int rank = x.rank() + a.length;
        boolean[] insert = axisMask(node, a, rank);
        List<Dim> out = new ArrayList<>(rank);
        int k = 0;
        for (int i = 0; i < rank; i++) out.add(insert[i] ? Dim.of(1) : x.shape().dim(k++));
        return new ValueType(x.dtype(), new Shape(out), x.intValues());
    }

    private static ValueType inferTranspose(Node node, ValueType x) {
        int[] perm = perm(node, x.rank());
        List<Dim> out = new ArrayList<>(perm.length);
        for (int p : perm) out.add(x.shape().dim(p));
        // tracked values stay in order only when there is at most one axis to move
        return new ValueType(x.dtype(), new Shape(out), x.rank() <= 1 ? x.intValues() : null);
    }

    private static int[] perm(Node node, int rank) {
        long[] p = node.attributes().getInts("perm", null);
        int[] perm = new int[rank];
        if (p == null) {
            for (int i = 0; i < rank; i++) perm[i] = rank - 1 - i;
            return perm;
        }
        if (p.length != rank) {
            throw new ShapeException("Transpose node '" + node.label() + "': perm " + Arrays.toString(p)
                    + " does not match rank " + rank);
        }
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            int a = OpSupport.axis(node, p[i], rank);
            if (seen[a]) throw new ShapeException("Transpose node '" + node.label() + "': perm " + Arrays.toString(p) + " repeats an axis");
            seen[a] = true;
            perm[i] = a;
        }
        return perm;
    }

    private static ValueType inferShape(Node node, ValueType x) {
        int[] range = shapeRange(node, x.rank());
        List<Dim> dims = x.shape().dims().subList(range[0], range[1]);
        return new ValueType(DType.INT64, Shape.of(dims.size()), dims);
    }

    /** Shape's [start, end) (opset 15): negative values count from the back, both are clamped to [0, rank]. */
    private static int[] shapeRange(Node node, int rank) {
        long start = node.attributes().getInt("start", 0);
        long end = node.attributes().getInt("end", rank);
        if (start < 0) start += rank;
        if (end < 0) end += rank;
        int s = Math.clamp(start, 0, rank);
        int e = Math.clamp(end, 0, rank);
        return new int[] {s, Math.max(s, e)};
    }

    private static ValueType inferCast(Node node, ValueType x) {
        DType to = castTarget(node);
        // only integer-to-integer casts keep tracked values; a float view of a shape is not shape arithmetic
        boolean keep = x.hasIntValues() && (to == DType.INT64 || to == DType.INT32) && !x.dtype().isFloating();
        return new ValueType(to, x.shape(), keep ? x.intValues() : null);
    }

    private static DType castTarget(Node node) {
        long code = node.attributes().getInt("to", -1);
        if (code < 0) throw new ModelFormatException("Cast node '" + node.label() + "' has no 'to' attribute");
        try {
            return DType.fromOnnx((int) code);
        } catch (DType.UnsupportedDTypeException e) {
            throw new UnsupportedOpException("Cast node '" + node.label() + "': " + e.getMessage());
        }
    }

    private static ValueType inferExpand(Node node, InferContext ctx, ValueType x) {
        List<Dim> target = ctx.intValues(1);
        Shape s = target != null ? new Shape(target) : unknownOfLength(ctx.require(node, 1));
        return new ValueType(x.dtype(), OpSupport.broadcast(node, x.shape(), s));
    }

    // ---------------------------------------------------------------- evaluation

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        return switch (node.opType()) {
            case "Flatten" -> {
                long[] s = sizes(x);
                int a = flattenAxis(node, s.length);
                yield OpSupport.one(x.reshape(count(s, 0, a), count(s, a, s.length)));
            }
            case "Reshape" -> OpSupport.one(x.reshape(reshapeTarget(node, ctx, sizes(x))));
            case "Squeeze" -> OpSupport.one(squeeze(node, ctx, x));
            case "Unsqueeze" -> OpSupport.one(unsqueeze(node, ctx, x));
            case "Transpose" -> {
                int[] p = perm(node, (int) x.dim());
                yield OpSupport.one(x.permute(Arrays.stream(p).asLongStream().toArray()));
            }
            case "Identity" -> OpSupport.one(new Tensor(x));
            case "Dropout" -> dropout(node, ctx, x);
            case "Shape" -> {
                long[] s = sizes(x);
                int[] r = shapeRange(node, s.length);
                long[] v = Arrays.copyOfRange(s, r[0], r[1]);
                yield OpSupport.one(NdArray.ofLongs(v, v.length).toTorch());
            }
            case "Cast" -> OpSupport.one(x.to(castTarget(node).torchType));
            case "Expand" -> OpSupport.one(expand(node, x, ctx.longs(1)));
            default -> throw new IllegalStateException(node.opType());
        };
    }

    private static long[] reshapeTarget(Node node, EvalContext ctx, long[] in) {
        long[] target = ctx.longs(1);
        if (target == null) throw new ModelFormatException("Reshape node '" + node.label() + "' needs a shape input");
        if (node.attributes().getInt("allowzero", 0) == 0) {
            for (int i = 0; i < target.length; i++) {
                if (target[i] == 0) {
                    if (i >= in.length) {
                        throw new ShapeException("Reshape node '" + node.label() + "': 0 at position " + i
                                + " copies a dimension the input " + Arrays.toString(in) + " does not have");
                    }
                    target[i] = in[i];
                }
            }
        }
        return target;
    }

    private static Tensor squeeze(Node node, EvalContext ctx, Tensor x) {
        long[] a = longsArg(node, ctx, "axes", 1);
        long[] s = sizes(x);
        if (a == null || a.length == 0) return x.squeeze();
        boolean[] drop = axisMask(node, a, s.length);
        List<Long> keep = new ArrayList<>();
        for (int i = 0; i < s.length; i++) {
            if (!drop[i]) keep.add(s[i]);
            else if (s[i] != 1) {
                throw new ShapeException("Squeeze node '" + node.label() + "': axis " + i + " of " + Arrays.toString(s)
                        + " is not 1");
            }
        }
        return x.reshape(keep.stream().mapToLong(Long::longValue).toArray());
    }

    private static Tensor unsqueeze(Node node, EvalContext ctx, Tensor x) {
        long[] a = longsArg(node, ctx, "axes", 1);
        if (a == null) throw new ModelFormatException("Unsqueeze node '" + node.label() + "' needs axes");
        long[] s = sizes(x);
        int rank = s.length + a.length;
        boolean[] insert = axisMask(node, a, rank);
        long[] out = new long[rank];
        int k = 0;
        for (int i = 0; i < rank; i++) out[i] = insert[i] ? 1 : s[k++];
        return x.reshape(out);
    }

    /** Inference passes the input through; training (or training_mode) drops with the given ratio. */
    private static List<Tensor> dropout(Node node, EvalContext ctx, Tensor x) {
        boolean oldMask = ctx.opset() < 10; // before opset 10 the mask has the data's type
        double ratio;
        boolean train = ctx.training();
        if (ctx.opset() >= 12) {
            Tensor r = ctx.input(1);
            ratio = r == null ? 0.5 : r.item_double();
            Tensor mode = ctx.input(2);
            train |= mode != null && mode.item_bool();
        } else {
            ratio = node.attributes().getFloat("ratio", 0.5f);
        }
        if (!train || ratio == 0) {
            Tensor mask = ones_like(x).to(oldMask ? x.scalar_type().intern() : ScalarType.Bool);
            return List.of(new Tensor(x), mask);
        }
        Tensor keep = ge(rand_like(x), OpSupport.scalar(ratio));
        Tensor y = ratio >= 1 ? mul(x, OpSupport.scalar(0))
                : mul(mul(x, keep), OpSupport.scalar(1 / (1 - ratio)));
        return List.of(y, oldMask ? keep.to(x.scalar_type().intern()) : keep);
    }

    private static Tensor expand(Node node, Tensor x, long[] target) {
        if (target == null) throw new ModelFormatException("Expand node '" + node.label() + "' needs a shape input");
        long[] s = sizes(x);
        int rank = Math.max(s.length, target.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long a = i < rank - s.length ? 1 : s[i - (rank - s.length)];
            long b = i < rank - target.length ? 1 : target[i - (rank - target.length)];
            if (a != b && a != 1 && b != 1) {
                throw new ShapeException("Expand node '" + node.label() + "': " + Arrays.toString(s)
                        + " does not broadcast to " + Arrays.toString(target));
            }
            out[i] = a == 1 ? b : a;
        }
        return x.expand(out);
    }

    // ---------------------------------------------------------------- shared helpers

    /**
     * An integer-list argument that older opsets give as attribute and newer ones as an input. {@code values}
     * is null when the argument is present but not known before run time.
     */
    record IntArg(boolean present, List<Dim> values) {
        static final IntArg ABSENT = new IntArg(false, null);

        /** The values as numbers, or null if any is not a number (or the argument is absent). */
        long[] knownValues() {
            if (values == null || !values.stream().allMatch(Dim::isKnown)) return null;
            return values.stream().mapToLong(Dim::size).toArray();
        }
    }

    /** Reads attribute {@code attr} when the node has it, else input {@code input} (if wired). */
    static IntArg intArg(Node node, InferContext ctx, String attr, int input) {
        long[] a = node.attributes().getInts(attr, null);
        if (a != null) return new IntArg(true, Arrays.stream(a).mapToObj(Dim::of).toList());
        if (node.input(input).isEmpty()) return IntArg.ABSENT;
        return new IntArg(true, ctx.intValues(input));
    }

    /** Run-time counterpart of {@link #intArg}: null when absent. */
    static long[] longsArg(Node node, EvalContext ctx, String attr, int input) {
        long[] a = node.attributes().getInts(attr, null);
        return a != null ? a : ctx.longs(input);
    }

    /** Marks the (possibly negative) axes in a rank; fails on repeats or out-of-range axes. */
    static boolean[] axisMask(Node node, long[] axes, int rank) {
        boolean[] mask = new boolean[rank];
        for (long axis : axes) {
            int a = OpSupport.axis(node, axis, rank);
            if (mask[a]) {
                throw new ShapeException(node.opType() + " node '" + node.label() + "': axis " + axis
                        + " is given twice in " + Arrays.toString(axes));
            }
            mask[a] = true;
        }
        return mask;
    }

    /** Product of dimensions: a number when all are numbers, the lone symbol when the rest are 1s. */
    static Dim product(List<Dim> dims) {
        long p = 1;
        Dim open = null;
        for (Dim d : dims) {
            if (d instanceof Dim.Known(long v)) p *= v;
            else if (open == null) open = d;
            else return Dim.unknown();
        }
        if (open == null) return Dim.of(p);
        return p == 1 ? open : Dim.unknown();
    }

    /** The same dimension seen in two places: numbers must agree; a number beats a symbol beats unknown. */
    static Dim unify(Node node, Dim a, Dim b) {
        if (a.equals(b) || b instanceof Dim.Unknown) return a;
        if (a instanceof Dim.Unknown) return b;
        if (a.isKnown() && b.isKnown()) {
            throw new ShapeException(node.opType() + " node '" + node.label() + "': dimensions " + a + " and " + b
                    + " should be equal");
        }
        return a.isKnown() ? a : b;
    }

    /** A shape of unknown dimensions whose rank is the length of a 1-D integer vector. */
    static Shape unknownOfLength(ValueType vector) {
        if (vector.rank() != 1 || !vector.shape().dim(0).isKnown()) throw new InferContext.UnknownShapeSignal();
        List<Dim> dims = new ArrayList<>();
        for (long i = 0; i < vector.shape().dim(0).size(); i++) dims.add(Dim.unknown());
        return new Shape(dims);
    }

    static long[] sizes(Tensor t) { return t.sizes().vec().get(); }

    private static long count(long[] s, int from, int to) {
        long n = 1;
        for (int i = from; i < to; i++) n *= s[i];
        return n;
    }

    // ---------------------------------------------------------------- symmetry

    /** Shape ops move the channel axis, or freeze it when they split or merge channels. */
    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        switch (node.opType()) {
            case "Flatten" -> flattenRule(rules, node, (int) node.attributes().getInt("axis", 1));
            case "Reshape" -> reshapeRule(rules, node);
            case "Squeeze", "Unsqueeze" -> squeezeRule(rules, node);
            case "Identity", "Dropout" -> rules.pass(node);
            case "Cast" -> castRule(rules, node);
            case "Shape" -> { } // no channel space flows through
            default -> rules.freezeUnknown(node);
        }
    }

    private static void castRule(SpaceRules rules, Node n) {
        ValueType t = rules.type(n.output(0));
        if (t != null && t.dtype().isFloating()) rules.pass(n);
        else rules.freeze(n.input(0), label(n) + " casts to a non-float type");
    }

    /** [N, C, H, W] → [N, C·H·W]: each channel's factor repeats over its H·W positions. */
    private static void flattenRule(SpaceRules rules, Node n, int axis) {
        Layout l = rules.layout(n.input(0));
        if (l == null) return;
        int r = rules.rank(n.input(0));
        if (axis < 0) axis += r;
        if (l.axis() < axis) {
            rules.freeze(n.input(0), label(n) + ": flattens the channel axis into the batch");
            return;
        }
        long inner = 1;
        for (int i = l.axis() + 1; i < r; i++) {
            long d = rules.dim(n.input(0), i);
            if (d < 0) {
                rules.freeze(n.input(0), label(n) + ": spatial size unknown");
                return;
            }
            inner *= d;
        }
        long outer = 1;
        for (int i = axis; i < l.axis(); i++) {
            long d = rules.dim(n.input(0), i);
            outer = d < 0 ? -1 : outer * d;
        }
        if (outer != 1) {
            rules.freeze(n.input(0), label(n) + ": axes before the channel axis are flattened with it");
            return;
        }
        List<Segment> segs = new ArrayList<>();
        for (Segment s : l.segments()) segs.add(new Segment(s.space(), s.size(), s.repeat() * inner));
        rules.setLayout(n.output(0), new Layout(axis, segs));
    }

    private static void reshapeRule(SpaceRules rules, Node n) {
        Layout l = rules.layout(n.input(0));
        if (l == null) return;
        int rin = rules.rank(n.input(0));
        int rout = rules.rank(n.output(0));
        long outDim = rout == 2 ? rules.dim(n.output(0), 1) : -1;
        long flat = 1;
        for (int i = 1; i < rin && flat > 0; i++) {
            long d = rules.dim(n.input(0), i);
            flat = d < 0 ? -1 : flat * d;
        }
        if (l.axis() == 1 && rout == 2 && outDim > 0 && outDim == flat) {
            flattenRule(rules, n, 1);
        } else {
            rules.freeze(n.input(0), label(n) + ": reshape does not keep channels whole");
        }
    }

    private static void squeezeRule(SpaceRules rules, Node n) {
        Layout l = rules.layout(n.input(0));
        if (l == null) return;
        long[] axes = n.attributes().getInts("axes", null);
        if (axes == null && rules.isParam(n.input(1))) axes = rules.parameter(n.input(1)).toLongArray();
        int rin = rules.rank(n.input(0));
        int rout = rules.rank(n.output(0));
        if (axes == null || rin < 0 || rout < 0) {
            rules.freeze(n.input(0), label(n) + ": axes unknown");
            return;
        }
        boolean squeeze = n.opType().equals("Squeeze");
        int r = squeeze ? rin : rout;
        int axis = l.axis();
        int shift = 0;
        for (long a : axes) {
            long na = a < 0 ? a + r : a;
            if (squeeze && na == axis) {
                rules.freeze(n.input(0), label(n) + ": removes the channel axis");
                return;
            }
            if (squeeze && na < axis) shift--;
        }
        if (!squeeze) {
            // positions in the output: count inserted axes at or before the (moving) channel position
            java.util.TreeSet<Long> sorted = new java.util.TreeSet<>();
            for (long a : axes) sorted.add(a < 0 ? a + r : a);
            int pos = axis;
            for (long a : sorted) if (a <= pos) pos++;
            shift = pos - axis;
        }
        rules.setLayout(n.output(0), l.withAxis(axis + shift));
    }
}
