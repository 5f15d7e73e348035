package dev.orbit.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ShapeException;
import dev.orbit.graph.ValueType;

/**
 * Integer arguments and dimension arithmetic the shape, indexing, reduction and constant rooms share: arguments
 * that moved from attributes to inputs between opsets, axis lists, and symbolic products.
 */
public final class OpArgs {
    private OpArgs() {}

    /**
     * An integer-list argument that older opsets give as attribute and newer ones as an input. {@code values}
     * is null when the argument is present but not known before run time.
     */
    public record IntArg(boolean present, List<Dim> values) {
        public static final IntArg ABSENT = new IntArg(false, null);

        /** The values as numbers, or null if any is not a number (or the argument is absent). */
        public long[] knownValues() {
            if (values == null || !values.stream().allMatch(Dim::isKnown)) return null;
            return values.stream().mapToLong(Dim::size).toArray();
        }
    }

    /** Reads attribute {@code attr} when the node has it, else input {@code input} (if wired). */
    public static IntArg intArg(Node node, InferContext ctx, String attr, int input) {
        long[] a = node.attributes().getInts(attr, null);
        if (a != null) return new IntArg(true, Arrays.stream(a).mapToObj(Dim::of).toList());
        if (node.input(input).isEmpty()) return IntArg.ABSENT;
        return new IntArg(true, ctx.intValues(input));
    }

    /** Run-time counterpart of {@link #intArg}: null when absent. */
    public static long[] longsArg(Node node, EvalContext ctx, String attr, int input) {
        long[] a = node.attributes().getInts(attr, null);
        return a != null ? a : ctx.longs(input);
    }

    /** Marks the (possibly negative) axes in a rank; fails on repeats or out-of-range axes. */
    public static boolean[] axisMask(Node node, long[] axes, int rank) {
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
    public static Dim product(List<Dim> dims) {
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

    /** Sum of dimensions: a number when all are numbers, the lone symbol when the rest are empty. */
    public static Dim sum(List<Dim> dims) {
        long s = 0;
        Dim open = null;
        for (Dim d : dims) {
            if (d instanceof Dim.Known(long v)) s += v;
            else if (open == null) open = d;
            else return Dim.unknown();
        }
        if (open == null) return Dim.of(s);
        return s == 0 ? open : Dim.unknown();
    }

    /** The same dimension seen in two places: numbers must agree; a number beats a symbol beats unknown. */
    public static Dim unify(Node node, Dim a, Dim b) {
        if (a.equals(b) || b instanceof Dim.Unknown) return a;
        if (a instanceof Dim.Unknown) return b;
        if (a.isKnown() && b.isKnown()) {
            throw new ShapeException(node.opType() + " node '" + node.label() + "': dimensions " + a + " and " + b
                    + " should be equal");
        }
        return a.isKnown() ? a : b;
    }

    /** A shape of unknown dimensions whose rank is the length of a 1-D integer vector. */
    public static Shape unknownOfLength(ValueType vector) {
        if (vector.rank() != 1 || !vector.shape().dim(0).isKnown()) throw new InferContext.UnknownShapeSignal();
        List<Dim> dims = new ArrayList<>();
        for (long i = 0; i < vector.shape().dim(0).size(); i++) dims.add(Dim.unknown());
        return new Shape(dims);
    }

    /** All dimensions unknown, of a given rank. */
    public static Shape allUnknown(int rank) {
        List<Dim> dims = new ArrayList<>(rank);
        for (int i = 0; i < rank; i++) dims.add(Dim.unknown());
        return new Shape(dims);
    }
}
