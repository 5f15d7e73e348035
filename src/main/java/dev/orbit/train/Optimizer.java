package dev.orbit.train;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Optimizers with PyTorch's update rules and L2 weight decay (added to the gradient). State buffers are
 * keyed by parameter name so that a teleportation can move them with the parameters.
 */
public sealed interface Optimizer extends AutoCloseable {
    /** One update of every parameter from its gradient, in place, without recording autograd history. */
    void step(Map<String, Tensor> params, Map<String, Tensor> grads, double lr);

    /** The state buffers that transform like a gradient under a teleportation (empty when there are none). */
    Map<String, Tensor> gradientLikeState();

    /** Forgets all state (after a teleportation that cannot carry it). */
    void reset();

    @Override
    void close();

    /** SGD; momentum buffer b ← μ·b + g, step g (+ μ·b with Nesterov) — PyTorch's form with no dampening. */
    final class Sgd implements Optimizer {
        private final double momentum;
        private final boolean nesterov;
        private final double weightDecay;
        private final Map<String, Tensor> buffers = new HashMap<>();

        public Sgd(double momentum, boolean nesterov, double weightDecay) {
            if (momentum < 0 || weightDecay < 0) throw new IllegalArgumentException("momentum and weight decay must be ≥ 0");
            if (nesterov && momentum == 0) throw new IllegalArgumentException("Nesterov needs a momentum > 0");
            this.momentum = momentum;
            this.nesterov = nesterov;
            this.weightDecay = weightDecay;
        }

        @Override
        public void step(Map<String, Tensor> params, Map<String, Tensor> grads, double lr) {
            try (NoGradGuard ng = new NoGradGuard()) {
                for (var e : params.entrySet()) {
                    Tensor p = e.getValue();
                    Tensor g = grads.get(e.getKey());
                    if (weightDecay != 0) g = torch.add(g, p, new Scalar(weightDecay));
                    if (momentum != 0) {
                        Tensor b = buffers.get(e.getKey());
                        if (b == null) {
                            b = persistent(g.detach().clone());
                            buffers.put(e.getKey(), b);
                        } else {
                            b.mul_(new Scalar(momentum)).add_(g);
                        }
                        g = nesterov ? torch.add(g, b, new Scalar(momentum)) : b;
                    }
                    p.sub_(g, new Scalar(lr));
                }
            }
        }

        @Override public Map<String, Tensor> gradientLikeState() { return buffers; }

        @Override public void reset() { close(); }

        @Override public void close() {
            buffers.values().forEach(Tensor::releaseReference);
            buffers.clear();
        }
    }

    /** Adam with bias correction; weight decay as L2 on the gradient (PyTorch's Adam, not AdamW). */
    final class Adam implements Optimizer {
        private final double beta1;
        private final double beta2;
        private final double eps;
        private final double weightDecay;
        private final Map<String, Tensor> m = new HashMap<>();
        private final Map<String, Tensor> v = new HashMap<>();
        private int t;

        public Adam(double beta1, double beta2, double eps, double weightDecay) {
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.eps = eps;
            this.weightDecay = weightDecay;
        }

        @Override
        public void step(Map<String, Tensor> params, Map<String, Tensor> grads, double lr) {
            t++;
            double c1 = 1 - Math.pow(beta1, t);
            double c2 = 1 - Math.pow(beta2, t);
            try (NoGradGuard ng = new NoGradGuard()) {
                for (var e : params.entrySet()) {
                    Tensor p = e.getValue();
                    Tensor g = grads.get(e.getKey());
                    if (weightDecay != 0) g = torch.add(g, p, new Scalar(weightDecay));
                    Tensor mi = m.computeIfAbsent(e.getKey(), k -> persistent(torch.zeros_like(p)));
                    Tensor vi = v.computeIfAbsent(e.getKey(), k -> persistent(torch.zeros_like(p)));
                    mi.mul_(new Scalar(beta1)).add_(g, new Scalar(1 - beta1));
                    vi.mul_(new Scalar(beta2)).addcmul_(g, g, new Scalar(1 - beta2));
                    Tensor denom = torch.add(torch.sqrt(torch.div(vi, new Scalar(c2))), new Scalar(eps));
                    p.sub_(torch.div(mi, denom), new Scalar(lr / c1));
                }
            }
        }

        /** Adam's per-coordinate normalisation is not equivariant under rescaling: its state is reset instead. */
        @Override public Map<String, Tensor> gradientLikeState() { return Map.of(); }

        @Override public void reset() {
            close();
            t = 0;
        }

        @Override public void close() {
            m.values().forEach(Tensor::releaseReference);
            v.values().forEach(Tensor::releaseReference);
            m.clear();
            v.clear();
        }
    }

    /** One extra reference so the tensor outlives the step's PointerScope; {@code close()} releases it. */
    private static Tensor persistent(Tensor t) {
        if (org.bytedeco.javacpp.PointerScope.getInnerScope() != null) t.retainReference();
        return t;
    }

    static List<String> names() { return List.of("sgd", "adam"); }
}
