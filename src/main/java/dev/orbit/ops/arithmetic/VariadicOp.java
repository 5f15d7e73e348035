package dev.orbit.ops.arithmetic;

import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.ModelFormatException;
import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;

/** An elementwise op over any number of inputs (one or more), all broadcast together: Max, Min, Sum, Mean. */
abstract class VariadicOp implements Op {
    private final String opType;

    VariadicOp(String opType) { this.opType = opType; }

    @Override
    public final String opType() { return opType; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType first = ctx.require(node, 0);
        return OpSupport.one(new ValueType(first.dtype(), OpSupport.broadcastAll(node, ctx)));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        int n = ctx.inputCount();
        if (n == 0) throw new ModelFormatException(opType + " node '" + node.label() + "' has no inputs");
        Tensor acc = ctx.require(node, 0);
        for (int i = 1; i < n; i++) acc = combine(acc, ctx.require(node, i));
        return OpSupport.one(finish(n == 1 ? new Tensor(acc) : acc, n));
    }

    /** The pairwise step, broadcasting. */
    abstract Tensor combine(Tensor acc, Tensor next);

    /** The result from the combined value of n inputs (Mean divides). */
    Tensor finish(Tensor combined, int n) { return combined; }
}
