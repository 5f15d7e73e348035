package dev.orbit.ops.shape;

import static dev.orbit.ops.SpaceRules.label;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Dim;
import dev.orbit.graph.ModelFormatException;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpArgs;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;

/** Unsqueeze: axes as attribute before opset 13, as input from 13. */
public final class Unsqueeze implements Op {
    @Override
    public String opType() { return "Unsqueeze"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        return OpSupport.one(infer(node, ctx, ctx.require(node, 0)));
    }

    private static ValueType infer(Node node, InferContext ctx, ValueType x) {
        long[] a = OpArgs.intArg(node, ctx, "axes", 1).knownValues();
        if (a == null) throw new InferContext.UnknownShapeSignal();
        int rank = x.rank() + a.length;
        boolean[] insert = OpArgs.axisMask(node, a, rank);
        List<Dim> out = new ArrayList<>(rank);
        int k = 0;
        for (int i = 0; i < rank; i++) out.add(insert[i] ? Dim.of(1) : x.shape().dim(k++));
        return new ValueType(x.dtype(), new Shape(out), x.intValues());
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) { return OpSupport.one(unsqueeze(node, ctx, ctx.require(node, 0))); }

    private static Tensor unsqueeze(Node node, EvalContext ctx, Tensor x) {
        long[] a = OpArgs.longsArg(node, ctx, "axes", 1);
        if (a == null) throw new ModelFormatException("Unsqueeze node '" + node.label() + "' needs axes");
        long[] s = OpSupport.sizes(x);
        int rank = s.length + a.length;
        boolean[] insert = OpArgs.axisMask(node, a, rank);
        long[] out = new long[rank];
        int k = 0;
        for (int i = 0; i < rank; i++) out[i] = insert[i] ? 1 : s[k++];
        return x.reshape(out);
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) { SqueezeRule.apply(rules, node); }
}
