package dev.orbit.ops.arithmetic;

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

/**
 * Elementwise arithmetic of two inputs with numpy broadcasting. Small integer vectors (shape arithmetic) are
 * folded during inference so symbolic dimensions survive.
 */
abstract class BinaryArithmeticOp implements Op {
    private final String opType;

    BinaryArithmeticOp(String opType) { this.opType = opType; }

    @Override
    public final String opType() { return opType; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType a = ctx.require(node, 0);
        ValueType b = ctx.require(node, 1);
        var shape = OpSupport.broadcast(node, a.shape(), b.shape());
        return OpSupport.one(new ValueType(a.dtype(), shape, foldInts(ctx)));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        return OpSupport.one(apply(ctx.require(node, 0), ctx.require(node, 1)));
    }

    abstract Tensor apply(Tensor a, Tensor b);

    /** The op on two known integers; null when this op does not fold (Pow). */
    abstract Long fold(long a, long b);

    /** Whether x op q = x for a symbol x (x·1, x+0): the symbol survives. */
    boolean keepsSymbol(Dim q) { return false; }

    /** Folds the op on small integer vectors when every element is a number; else no values. */
    private List<Dim> foldInts(InferContext ctx) {
        List<Dim> x = ctx.intValues(0);
        List<Dim> y = ctx.intValues(1);
        if (x == null || y == null || fold(1, 1) == null) return null;
        int n = Math.max(x.size(), y.size());
        if (!(x.size() == n || x.size() == 1) || !(y.size() == n || y.size() == 1)) return null;
        List<Dim> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Dim p = x.get(x.size() == 1 ? 0 : i);
            Dim q = y.get(y.size() == 1 ? 0 : i);
            if (!p.isKnown() || !q.isKnown()) {
                // x·1, x+0 keep a symbol; anything else on a symbol is unknown
                out.add(!p.isKnown() && keepsSymbol(q) ? p : Dim.unknown());
                continue;
            }
            out.add(Dim.of(fold(p.size(), q.size())));
        }
        return out;
    }
}
