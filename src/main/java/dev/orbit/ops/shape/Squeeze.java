package dev.orbit.ops.shape;

import static dev.orbit.ops.SpaceRules.label;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ShapeException;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpArgs;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;

/** Squeeze: axes as attribute before opset 13, as input from 13; no axes squeezes every 1. */
public final class Squeeze implements Op {
    @Override
    public String opType() { return "Squeeze"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        return OpSupport.one(infer(node, ctx, ctx.require(node, 0)));
    }

    private static ValueType infer(Node node, InferContext ctx, ValueType x) {
        OpArgs.IntArg axes = OpArgs.intArg(node, ctx, "axes", 1);
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
            boolean[] drop = OpArgs.axisMask(node, a, in.size());
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

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) { return OpSupport.one(squeeze(node, ctx, ctx.require(node, 0))); }

    private static Tensor squeeze(Node node, EvalContext ctx, Tensor x) {
        long[] a = OpArgs.longsArg(node, ctx, "axes", 1);
        long[] s = OpSupport.sizes(x);
        if (a == null || a.length == 0) return x.squeeze();
        boolean[] drop = OpArgs.axisMask(node, a, s.length);
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

    @Override
    public void spaceRule(Node node, SpaceRules rules) { SqueezeRule.apply(rules, node); }
}
