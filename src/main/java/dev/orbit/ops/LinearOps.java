package dev.orbit.ops;

import static dev.orbit.ops.SpaceRules.label;
import static org.bytedeco.pytorch.global.torch.add;
import static org.bytedeco.pytorch.global.torch.addmm;
import static org.bytedeco.pytorch.global.torch.matmul;
import static org.bytedeco.pytorch.global.torch.mul;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.graph.Dim;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ShapeException;
import dev.orbit.graph.ValueType;
import dev.orbit.tensor.NdArray;

/**
 * Gemm and MatMul: the linear maps that create neuron spaces.
 * Gemm: Y = alpha·op(A)·op(B) + beta·C, op = optional transpose, C broadcast to (M, N).
 * MatMul: numpy matmul semantics, batched and broadcast.
 */
public final class LinearOps implements OpFamily {
    @Override
    public Set<String> opTypes() { return Set.of("Gemm", "MatMul"); }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        return switch (node.opType()) {
            case "Gemm" -> OpSupport.one(inferGemm(node, ctx));
            default -> OpSupport.one(inferMatMul(node, ctx));
        };
    }

    private static ValueType inferGemm(Node node, InferContext ctx) {
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
        checkInner(node, ka, kb, a.shape(), b.shape());
        return new ValueType(a.dtype(), Shape.of(m, n));
    }

    private static ValueType inferMatMul(Node node, InferContext ctx) {
        ValueType a = ctx.require(node, 0);
        ValueType b = ctx.require(node, 1);
        Shape sa = a.shape();
        Shape sb = b.shape();
        if (sa.rank() == 0 || sb.rank() == 0) throw new ShapeException("MatMul inputs must not be scalars");
        boolean vecA = sa.rank() == 1;
        boolean vecB = sb.rank() == 1;
        Shape ma = vecA ? Shape.of(Dim.of(1), sa.dim(0)) : sa;
        Shape mb = vecB ? Shape.of(sb.dim(0), Dim.of(1)) : sb;
        checkInner(node, ma.dim(-1), mb.dim(-2), sa, sb);
        Shape batchA = new Shape(ma.dims().subList(0, ma.rank() - 2));
        Shape batchB = new Shape(mb.dims().subList(0, mb.rank() - 2));
        List<Dim> out = new ArrayList<>(OpSupport.broadcast(node, batchA, batchB).dims());
        if (!vecA) out.add(ma.dim(-2));
        if (!vecB) out.add(mb.dim(-1));
        return new ValueType(a.dtype(), new Shape(out));
    }

    private static void checkInner(Node node, Dim ka, Dim kb, Shape sa, Shape sb) {
        if (ka.isKnown() && kb.isKnown() && ka.size() != kb.size()) {
            throw new ShapeException(node.opType() + " node '" + node.label() + "': inner dimensions differ, "
                    + sa + " × " + sb);
        }
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor a = ctx.require(node, 0);
        Tensor b = ctx.require(node, 1);
        if (node.opType().equals("MatMul")) return OpSupport.one(matmul(a, b));
        var at = node.attributes();
        if (at.getInt("transA", 0) != 0) a = a.t();
        if (at.getInt("transB", 0) != 0) b = b.t();
        double alpha = at.getFloat("alpha", 1f);
        double beta = at.getFloat("beta", 1f);
        Tensor c = ctx.input(2);
        if (c == null || beta == 0) {
            Tensor y = matmul(a, b);
            return OpSupport.one(alpha == 1 ? y : mul(y, OpSupport.scalar(alpha)));
        }
        if (c.dim() <= 2 && alpha == 1 && beta == 1) return OpSupport.one(addmm(c, a, b));
        Tensor y = matmul(a, b);
        if (alpha != 1) y = mul(y, OpSupport.scalar(alpha));
        return OpSupport.one(add(y, beta == 1 ? c : mul(c, OpSupport.scalar(beta))));
    }

    // ---------------------------------------------------------------- symmetry

    /** Gemm and MatMul with a constant W create a neuron space on their output channels. */
    @Override
    public void spaceRule(Node node, SpaceRules rules) {
        switch (node.opType()) {
            case "Gemm" -> gemmRule(rules, node);
            case "MatMul" -> matMulRule(rules, node);
            default -> rules.freezeUnknown(node);
        }
    }

    private static void gemmRule(SpaceRules rules, Node n) {
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

    private static void matMulRule(SpaceRules rules, Node n) {
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
