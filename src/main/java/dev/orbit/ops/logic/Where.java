package dev.orbit.ops.logic;

import static org.bytedeco.pytorch.global.torch.where;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;
import dev.orbit.ops.arithmetic.ElementwiseWithConstants;

/**
 * Where(condition, X, Y): X where the condition holds, else Y, all three broadcast. Differentiable in X and Y.
 * Symmetry: with a constant condition (the same for every channel, e.g. a causal mask) it is an elementwise op of
 * one neuron space and constants, rewritten τ·where(c, x/τ, y) (ElementwiseWithConstants); a condition computed
 * from the moved values freezes them.
 */
public final class Where implements Op {
    @Override
    public String opType() { return "Where"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType c = ctx.require(node, 0);
        ValueType x = ctx.require(node, 1);
        ValueType y = ctx.require(node, 2);
        var shape = OpSupport.broadcast(node, OpSupport.broadcast(node, c.shape(), x.shape()), y.shape());
        return OpSupport.one(new ValueType(x.dtype(), shape, select(ctx)));
    }

    /** On small integer vectors with a known condition (shape arithmetic), the selected values; else none. */
    private static List<Dim> select(InferContext ctx) {
        List<Dim> c = ctx.intValues(0);
        List<Dim> x = ctx.intValues(1);
        List<Dim> y = ctx.intValues(2);
        if (c == null || x == null || y == null) return null;
        int n = Math.max(c.size(), Math.max(x.size(), y.size()));
        for (List<Dim> v : List.of(c, x, y)) if (v.size() != n && v.size() != 1) return null;
        List<Dim> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Dim cond = c.get(c.size() == 1 ? 0 : i);
            if (!cond.isKnown()) return null;
            out.add(cond.size() != 0 ? x.get(x.size() == 1 ? 0 : i) : y.get(y.size() == 1 ? 0 : i));
        }
        return out;
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        return OpSupport.one(where(ctx.require(node, 0), ctx.require(node, 1), ctx.require(node, 2)));
    }

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        ElementwiseWithConstants.rule(node, rules, 0);
    }
}
