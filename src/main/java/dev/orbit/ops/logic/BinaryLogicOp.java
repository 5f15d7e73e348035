package dev.orbit.ops.logic;

import static dev.orbit.ops.SpaceRules.label;

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
import dev.orbit.tensor.DType;

/**
 * A comparison or logical connective of two inputs with numpy broadcasting; the result is bool. Symmetry: the
 * inputs freeze, because a boolean result is not a neuron space that a rescaling or a sign change passes
 * through (a comparison with a constant, as in a ReLU written as Where(x > 0), is issue 15's pattern).
 */
abstract class BinaryLogicOp implements Op {
    private final String opType;

    BinaryLogicOp(String opType) { this.opType = opType; }

    @Override
    public final String opType() { return opType; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType a = ctx.require(node, 0);
        ValueType b = ctx.require(node, 1);
        return OpSupport.one(new ValueType(DType.BOOL, OpSupport.broadcast(node, a.shape(), b.shape()), foldInts(ctx)));
    }

    /** The comparison of two tracked integers (1 true, 0 false), or null when it is not known (the default: not folded). */
    Boolean fold(Dim a, Dim b) { return null; }

    /**
     * Folds the comparison on small integer vectors (shape arithmetic: PyTorch's expand writes Where(Equal(shape, -1),
     * 1, shape)), so the shape it selects stays known; an element that does not fold leaves no values.
     */
    private List<Dim> foldInts(InferContext ctx) {
        List<Dim> x = ctx.intValues(0);
        List<Dim> y = ctx.intValues(1);
        if (x == null || y == null) return null;
        int n = Math.max(x.size(), y.size());
        if (!(x.size() == n || x.size() == 1) || !(y.size() == n || y.size() == 1)) return null;
        List<Dim> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Boolean r = fold(x.get(x.size() == 1 ? 0 : i), y.get(y.size() == 1 ? 0 : i));
            if (r == null) return null;
            out.add(Dim.of(r ? 1 : 0));
        }
        return out;
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        return OpSupport.one(apply(ctx.require(node, 0), ctx.require(node, 1)));
    }

    abstract Tensor apply(Tensor a, Tensor b);

    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        rules.freezeInputs(node, label(node) + ": its boolean result does not carry a neuron space");
    }
}
