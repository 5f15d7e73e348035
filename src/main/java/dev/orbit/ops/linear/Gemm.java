package dev.orbit.ops.linear;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.add;
import static org.bytedeco.pytorch.global.torch.addmm;
import static org.bytedeco.pytorch.global.torch.matmul;
import static org.bytedeco.pytorch.global.torch.mul;

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
 * Gemm: Y = alpha·op(A)·op(B) + beta·C, op = optional transpose, C broadcast to (M, N). With a constant B it is the
 * linear map that creates a neuron space on its output channels.
 */
public final class Gemm implements Op, WidensHalfInputs {
    @Override
    public String opType() { return "Gemm"; }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType a = ctx.require(node, 0);
        ValueType b = ctx.require(node, 1);
        if (a.rank() != 2 || b.rank() != 2) {
            throw new ShapeException("Gemm needs 2-D inputs, got " + a.shape() + " and " + b.shape());
        }
        boolean ta = node.attributes().getInt("transA", 0) != 0;
        boolean tb = node.attributes().getInt("transB", 0) != 0;
        Dim m = a.shape().dim(ta ? 1 : 0);
        Dim ka = a.shape().dim(ta ? 0 : 1);
        Dim kb = b.shape().dim(tb ? 1 : 0);
        Dim n = b.shape().dim(tb ? 0 : 1);
        InnerDimensions.check(node, ka, kb, a.shape(), b.shape());
        return OpSupport.one(new ValueType(a.dtype(), Shape.of(m, n)));
    }

    /** A, B and C are widened a block at a time under the half policy ({@link HalfProduct}). */
    @Override
    public boolean widensItself(int i) { return i <= 2; }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        var at = node.attributes();
        Tensor a = at.getInt("transA", 0) != 0 ? ctx.require(node, 0).t() : ctx.require(node, 0);
        Tensor b = at.getInt("transB", 0) != 0 ? ctx.require(node, 1).t() : ctx.require(node, 1);
        double alpha = at.getFloat("alpha", 1f);
        double beta = at.getFloat("beta", 1f);
        Tensor c = beta == 0 ? null : ctx.input(2);
        if (!HalfProduct.applies(a, b, c)) {
            return OpSupport.one(gemm(HalfBlocks.widened(a), HalfBlocks.widened(b), HalfBlocks.widened(c), alpha, beta));
        }
        return OpSupport.one(HalfProduct.product(a, b,
                (rows, columns, block) -> gemm(rows, columns, HalfBlocks.widened(block(c, block)), alpha, beta)));
    }

    /** alpha·a·b + beta·c (c null: none), c broadcast to (M, N). */
    private static Tensor gemm(Tensor a, Tensor b, Tensor c, double alpha, double beta) {
        if (c == null) {
            Tensor y = matmul(a, b);
            return alpha == 1 ? y : mul(y, OpSupport.scalar(alpha));
        }
        if (c.dim() <= 2 && alpha == 1 && beta == 1) return addmm(c, a, b);
        Tensor y = matmul(a, b);
        if (alpha != 1) y = mul(y, OpSupport.scalar(alpha));
        return add(y, beta == 1 ? c : mul(c, OpSupport.scalar(beta)));
    }

    /** The part of C, as it broadcasts to (M, N), that a block of the result adds: an axis of length 1 broadcasts whole. */
    private static Tensor block(Tensor c, HalfProduct.Block at) {
        if (c == null || c.dim() == 0) return c;
        Tensor part = c.size(-1) == 1 ? c : c.narrow(-1, at.column(), at.columnCount());
        return c.dim() < 2 || c.size(0) == 1 ? part : part.narrow(0, at.row(), at.rowCount());
    }

    @Override
    public void spaceRule(Node n, SpaceRules rules) {
        String a = n.input(0);
        String w = n.input(1);
        var at = n.attributes();
        if (!rules.isParam(w) || at.getInt("transA", 0) != 0 || rules.parameter(w).rank() != 2) {
            rules.freezeInputs(n, label(n) + ": only x·W with a constant W is a linear map Orbit moves");
            return;
        }
        boolean tb = at.getInt("transB", 0) != 0;
        NdArray wt = rules.parameter(w);
        long out = wt.dim(tb ? 0 : 1);
        long in = wt.dim(tb ? 1 : 0);
        Layout la = rules.layout(a);
        if (la != null && (la.axis() != 1 || la.length() != in)) {
            rules.freeze(a, label(n) + ": input channels do not line up with W");
            la = null;
        }
        int s = rules.newSpace(out, label(n));
        rules.touch(s, w, tb ? 0 : 1, Role.COVARIANT, 0, 1);
        if (la != null) rules.touchLayout(la, w, tb ? 1 : 0, Role.CONTRAVARIANT);
        Layout lo = new Layout(1, List.of(new Segment(s, out, 1)));
        rules.bias(n, n.input(2), lo, 1, 2);
        rules.setLayout(n.output(0), lo);
    }
}
