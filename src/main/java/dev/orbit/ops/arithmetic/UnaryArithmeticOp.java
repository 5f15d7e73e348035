package dev.orbit.ops.arithmetic;

import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Node;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.SpaceRules;

/**
 * Elementwise arithmetic of one input (Sqrt, Abs, Exp, Log, Reciprocal, Neg): same shape and type. Symmetry:
 * a member of an activation region, which positive factors pass when the function is positively homogeneous.
 */
abstract class UnaryArithmeticOp implements Op {
    private final String opType;
    private final boolean positivelyHomogeneous;

    UnaryArithmeticOp(String opType, boolean positivelyHomogeneous) {
        this.opType = opType;
        this.positivelyHomogeneous = positivelyHomogeneous;
    }

    @Override
    public final String opType() { return opType; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType a = ctx.require(node, 0);
        return OpSupport.one(new ValueType(a.dtype(), a.shape()));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) { return OpSupport.one(apply(ctx.require(node, 0))); }

    abstract Tensor apply(Tensor a);

    @Override
    public void spaceRule(Node node, SpaceRules rules) { rules.region(node, positivelyHomogeneous); }
}
