package dev.orbit.ops.shape;

import static dev.orbit.ops.SpaceRules.label;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Dim;
import dev.orbit.graph.ModelFormatException;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ShapeException;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Layout;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpArgs;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;

/** Reshape (allowzero from opset 14); a symbolic batch survives through tracked shape arithmetic. */
public final class Reshape implements Op {
    @Override
    public String opType() { return "Reshape"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        return OpSupport.one(infer(node, ctx, ctx.require(node, 0)));
    }

    private static ValueType infer(Node node, InferContext ctx, ValueType x) {
        List<Dim> target = ctx.intValues(1);
        if (target == null) return new ValueType(x.dtype(), OpArgs.unknownOfLength(ctx.require(node, 1)), null);
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

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        return OpSupport.one(x.reshape(target(node, ctx, OpSupport.sizes(x))));
    }

    private static long[] target(Node node, EvalContext ctx, long[] in) {
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

    /** The channel axis survives whole, merges with the axes after it, or is recovered from such a merge. */
    @Override
    public void spaceRule(Node node, SpaceRules rules) { ChannelRegrouping.apply(rules, node); }
}
