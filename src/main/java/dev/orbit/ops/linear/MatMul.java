package dev.orbit.ops.linear;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.matmul;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ShapeException;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.HalfBlocks;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Layout;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.ops.Role;
import dev.orbit.ops.Segment;
import dev.orbit.ops.SpaceRules;
import dev.orbit.ops.WidensHalfInputs;
import dev.orbit.tensor.NdArray;

/**
 * MatMul with numpy semantics, batched and broadcast. With a constant 2-D W it creates a neuron space on its output
 * channels; a MatMul of two activations (attention) is left to the attention analysis.
 */
public final class MatMul implements Op, WidensHalfInputs {
    @Override
    public String opType() { return "MatMul"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType a = ctx.require(node, 0);
        ValueType b = ctx.require(node, 1);
        Shape sa = a.shape();
        Shape sb = b.shape();
        if (sa.rank() == 0 || sb.rank() == 0) throw new ShapeException("MatMul inputs must not be scalars");
        boolean vecA = sa.rank() == 1;
        boolean vecB = sb.rank() == 1;
        Shape ma = vecA ? Shape.of(Dim.of(1), sa.dim(0)) : sa;
        Shape mb = vecB ? Shape.of(sb.dim(0), Dim.of(1)) : sb;
        InnerDimensions.check(node, ma.dim(-1), mb.dim(-2), sa, sb);
        Shape batchA = new Shape(ma.dims().subList(0, ma.rank() - 2));
        Shape batchB = new Shape(mb.dims().subList(0, mb.rank() - 2));
        List<Dim> out = new ArrayList<>(OpSupport.broadcast(node, batchA, batchB).dims());
        if (!vecA) out.add(ma.dim(-2));
        if (!vecB) out.add(mb.dim(-1));
        return OpSupport.one(new ValueType(a.dtype(), new Shape(out)));
    }

    /** A and B are widened a block at a time under the half policy ({@link HalfProduct}). */
    @Override
    public boolean widensItself(int i) { return i <= 1; }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor a = ctx.require(node, 0);
        Tensor b = ctx.require(node, 1);
        if (!HalfProduct.applies(a, b, null)) return OpSupport.one(matmul(HalfBlocks.widened(a), HalfBlocks.widened(b)));
        return OpSupport.one(HalfProduct.product(a, b, (rows, columns, block) -> matmul(rows, columns)));
    }

    @Override
    public void spaceRule(Node n, SpaceRules rules) {
        String a = n.input(0);
        String w = n.input(1);
        if (!rules.isParam(w) || rules.parameter(w).rank() != 2 || rules.isParam(a)) {
            rules.freezeInputs(n, label(n) + ": MatMul of two activations (attention) is handled by a later analysis");
            return;
        }
        NdArray wt = rules.parameter(w);
        int r = rules.rank(a);
        Layout la = rules.layout(a);
        if (la != null && (la.axis() != r - 1 || la.length() != wt.dim(0))) {
            rules.freeze(a, label(n) + ": the contracted axis is not the channel axis");
            la = null;
        }
        if (r < 1) {
            rules.freezeInputs(n, label(n) + ": rank of the input is unknown");
            return;
        }
        int s = rules.newSpace(wt.dim(1), label(n));
        rules.touch(s, w, 1, Role.COVARIANT, 0, 1);
        if (la != null) rules.touchLayout(la, w, 0, Role.CONTRAVARIANT);
        rules.setLayout(n.output(0), new Layout(Math.max(r - 1, 0), List.of(new Segment(s, wt.dim(1), 1))));
    }
}
