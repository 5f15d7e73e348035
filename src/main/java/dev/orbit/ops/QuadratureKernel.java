package dev.orbit.ops;

import static org.bytedeco.pytorch.global.torch.*;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;

import dev.orbit.numeric.GaussHermite;

/**
 * Any elementwise φ by tensor-product Gauss–Hermite quadrature of E[φ(u)φ(v)] and E[φ'(u)φ'(v)], the same rule as
 * {@link GaussHermite#expect2} (u = √q11·a, v = √q22·(ρa + √(1−ρ²)·b)) evaluated for a whole block of pairs at
 * once. Cost: order² passes over the block per layer. Accurate for smooth φ (tanh, erf: order 20 gives ~1e-10);
 * kinked φ (hard-tanh) converge slowly in the order, as for every polynomial rule. At finite order the rule is not
 * symmetric in the pair (u takes the outer node axis): K(x, x') and K(x', x) differ by the quadrature error, which
 * is why the MLP kernel's symmetric path computes the upper triangle only and mirrors it.
 */
public record QuadratureKernel(Activation activation, int order) implements KernelRule {
    public QuadratureKernel {
        if (order < 2 || order > 200) throw new IllegalArgumentException("quadrature order must be in 2..200, got " + order);
    }

    @Override
    public KernelBlock apply(KernelBlock in) {
        GaussHermite rule = GaussHermite.of(order);
        double[] x = rule.nodes(), w = rule.weights();
        Tensor q12 = in.nngp();
        Tensor su = in.rowVariance().clamp_min(new Scalar(0.0)).sqrt_();
        Tensor sv = in.colVariance().clamp_min(new Scalar(0.0)).sqrt_();
        Tensor scale = mul(su, sv);
        Tensor rho = q12.div(scale.clamp_min(new Scalar(Double.MIN_NORMAL)))
                .clamp_(new ScalarOptional(new Scalar(-1.0)), new ScalarOptional(new Scalar(1.0)));
        Tensor along = rho.mul(sv); // v = along·aᵢ + across·bⱼ
        Tensor across = rho.mul(rho).neg_().add_(new Scalar(1.0)).clamp_min_(new Scalar(0.0)).sqrt_().mul_(sv);
        Tensor sigma = zeros_like(q12), dot = zeros_like(q12);
        for (int i = 0; i < x.length; i++) {
            try (PointerScope scope = new PointerScope()) {
                Tensor base = along.mul(new Scalar(x[i]));
                Tensor innerPhi = zeros_like(q12), innerDot = zeros_like(q12);
                for (int j = 0; j < x.length; j++) {
                    Tensor v = base.add(across, new Scalar(x[j]));
                    innerPhi.add_(activation.apply(v), new Scalar(w[j]));
                    innerDot.add_(activation.derivative(v), new Scalar(w[j]));
                }
                Tensor u = su.mul(new Scalar(x[i]));
                sigma.addcmul_(activation.apply(u), innerPhi, new Scalar(w[i]));
                dot.addcmul_(activation.derivative(u), innerDot, new Scalar(w[i]));
            }
        }
        q12.copy_(sigma);
        if (in.hasNtk()) in.ntk().mul_(dot);
        return new KernelBlock(q12, in.ntk(), meanSquare(in.rowVariance(), x, w), meanSquare(in.colVariance(), x, w));
    }

    /** E[φ(√q·a)²] for each variance q: the diagonal Σ'(x, x). */
    private Tensor meanSquare(Tensor q, double[] x, double[] w) {
        Tensor s = q.clamp_min(new Scalar(0.0)).sqrt_();
        Tensor out = zeros_like(q);
        for (int i = 0; i < x.length; i++) {
            Tensor f = activation.apply(s.mul(new Scalar(x[i])));
            out.addcmul_(f, f, new Scalar(w[i]));
        }
        return out;
    }

    @Override
    public String describe() {
        return activation.label() + " (Gauss–Hermite quadrature, order " + order + ")";
    }
}
