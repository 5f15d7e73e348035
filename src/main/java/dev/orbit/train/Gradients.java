package dev.orbit.train;

import java.util.List;

import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * First- and second-order derivatives through libtorch's autograd: gradients, gradients with a graph (for
 * double backward), Hessian-vector products and the gradient of the squared gradient norm, which
 * gradient-guided teleportation maximises.
 */
public final class Gradients {
    private Gradients() {}

    /** ∂y/∂x for a scalar y; {@code createGraph} keeps the graph so the result can be differentiated again. */
    public static List<Tensor> grad(Tensor y, List<Tensor> xs, boolean createGraph) {
        TensorVector out = torch.grad(new TensorVector(y), new TensorVector(xs.toArray(Tensor[]::new)),
                new TensorVector(), new BoolOptional(createGraph), createGraph, true);
        return fill(out, xs);
    }

    /** Hessian-vector product H·v of a scalar y with respect to xs (double backward). */
    public static List<Tensor> hessianVector(Tensor y, List<Tensor> xs, List<Tensor> v) {
        List<Tensor> g = grad(y, xs, true);
        Tensor dot = null;
        for (int i = 0; i < g.size(); i++) {
            Tensor term = torch.sum(torch.mul(g.get(i), v.get(i)));
            dot = dot == null ? term : torch.add(dot, term);
        }
        return dot.requires_grad() ? grad(dot, xs, false) : zeros(xs); // y linear in xs: H = 0
    }

    /** ∇ₓ ‖∇ₓ y‖² (double backward). */
    public static List<Tensor> gradOfGradNormSquared(Tensor y, List<Tensor> xs) {
        List<Tensor> g = grad(y, xs, true);
        Tensor n = null;
        for (Tensor gi : g) {
            Tensor term = torch.sum(torch.mul(gi, gi));
            n = n == null ? term : torch.add(n, term);
        }
        return n.requires_grad() ? grad(n, xs, false) : zeros(xs);
    }

    private static List<Tensor> zeros(List<Tensor> xs) {
        return xs.stream().map(torch::zeros_like).toList();
    }

    /** Unused inputs come back undefined from autograd; give them zeros so callers need no special case. */
    private static List<Tensor> fill(TensorVector out, List<Tensor> xs) {
        Tensor[] r = new Tensor[xs.size()];
        for (int i = 0; i < r.length; i++) {
            Tensor t = out.get(i);
            r[i] = t.defined() ? t : torch.zeros_like(xs.get(i));
        }
        return List.of(r);
    }
}
