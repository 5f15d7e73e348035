package dev.orbit.ops;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ShapeException;
import dev.orbit.graph.ValueType;

/** Small rules many rooms share: broadcasting, axes, scalars, sizes, messages. */
public final class OpSupport {
    private OpSupport() {}

    /** Multidirectional (numpy) broadcasting of two shapes. */
    public static Shape broadcast(Node node, Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        List<Dim> out = new ArrayList<>(rank);
        for (int i = 0; i < rank; i++) {
            Dim da = i < rank - a.rank() ? Dim.of(1) : a.dim(i - (rank - a.rank()));
            Dim db = i < rank - b.rank() ? Dim.of(1) : b.dim(i - (rank - b.rank()));
            out.add(broadcastDim(node, da, db, a, b));
        }
        return new Shape(out);
    }

    private static Dim broadcastDim(Node node, Dim a, Dim b, Shape sa, Shape sb) {
        if (a.equals(b)) return a;
        if (a instanceof Dim.Known(long x) && x == 1) return b;
        if (b instanceof Dim.Known(long y) && y == 1) return a;
        if (a.isKnown() && b.isKnown()) {
            throw new ShapeException(node.opType() + " node '" + node.label() + "': shapes " + sa + " and " + sb
                    + " do not broadcast");
        }
        return a.isKnown() ? a : b.isKnown() ? b : a;
    }

    /** Broadcast of every present input of a node. */
    public static Shape broadcastAll(Node node, InferContext ctx) {
        Shape s = null;
        for (int i = 0; i < ctx.inputCount(); i++) {
            ValueType t = ctx.input(i);
            if (t == null) continue;
            if (t.shape() == null) throw new InferContext.UnknownShapeSignal();
            s = s == null ? t.shape() : broadcast(node, s, t.shape());
        }
        return s;
    }

    /** Normalises a possibly negative axis against a rank. */
    public static int axis(Node node, long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new ShapeException(node.opType() + " node '" + node.label() + "': axis " + axis
                    + " is out of range for rank " + rank);
        }
        return (int) a;
    }

    /**
     * A possibly negative axis that names a cut between axes (Flatten, Softmax before opset 13): 0 to rank
     * inclusive.
     */
    public static int cut(Node node, long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a > rank) {
            throw new ShapeException(node.opType() + " node '" + node.label() + "': axis " + axis
                    + " is out of range for rank " + rank);
        }
        return (int) a;
    }

    public static Scalar scalar(double v) { return new Scalar(v); }

    /** A 0-d tensor with the same dtype as t. */
    public static Tensor scalarLike(Tensor t, double v) {
        return org.bytedeco.pytorch.global.torch.full_like(t, new Scalar(v));
    }

    public static List<ValueType> one(ValueType t) { return List.of(t); }

    public static List<Tensor> one(Tensor t) { return List.of(t); }

    /** A shape error that names the node. */
    public static ShapeException shapeError(Node node, String message) {
        return new ShapeException(node.opType() + " node '" + node.label() + "': " + message);
    }

    /** in·mul + add, keeping a symbol only when the map is the identity. */
    public static Dim affine(Dim in, long mul, long add) {
        if (in instanceof Dim.Known(long s)) return Dim.of(s * mul + add);
        return mul == 1 && add == 0 ? in : Dim.unknown();
    }

    public static long[] sizes(Tensor t) { return t.sizes().vec().get(); }

    public static TensorOptional optional(Tensor t) { return t == null ? new TensorOptional() : new TensorOptional(t); }

    public static boolean isIntegral(Tensor t) {
        return switch (t.scalar_type().intern().name()) {
            case "Long", "Int", "Char", "Byte", "Short" -> true;
            default -> false;
        };
    }
}
