package dev.orbit.train;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import dev.orbit.symmetry.GroupElement;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.symmetry.SymmetryAnalysis;
import dev.orbit.tensor.NdArray;

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

    /**
     * Moves the state with the weights after they moved by {@code g} (the parameters' names are the state's keys):
     * permutations permute every state tensor; a diagonal scale τ (weights ×τ) divides first moments and momentum by τ
     * and second moments by τ²; a matrix part M (weights ·M) moves first moments by M⁻ᵀ and resets second moments.
     */
    void teleport(SymmetryAnalysis a, GroupElement g);

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

        @Override public void teleport(SymmetryAnalysis a, GroupElement g) { moveInPlace(buffers, a, g, false); }

        @Override public void reset() { close(); }

        @Override public void close() { release(buffers); }
    }

    /**
     * Adam with bias correction; weight decay as L2 on the gradient (PyTorch's Adam, not AdamW). The second moment
     * keeps its own step count, so after a reset by a matrix move its bias correction starts again.
     */
    final class Adam implements Optimizer {
        private final double beta1;
        private final double beta2;
        private final double eps;
        private final double weightDecay;
        private final Map<String, Tensor> m = new HashMap<>();
        private final Map<String, Tensor> v = new HashMap<>();
        private int t;
        private int tv;

        public Adam(double beta1, double beta2, double eps, double weightDecay) {
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.eps = eps;
            this.weightDecay = weightDecay;
        }

        @Override
        public void step(Map<String, Tensor> params, Map<String, Tensor> grads, double lr) {
            t++;
            tv++;
            double c1 = 1 - Math.pow(beta1, t);
            double c2 = 1 - Math.pow(beta2, tv);
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

        /** The first moment (a running mean of gradients). */
        @Override public Map<String, Tensor> gradientLikeState() { return m; }

        /** The second moment (a running mean of squared gradients). */
        public Map<String, Tensor> squaredState() { return v; }

        @Override
        public void teleport(SymmetryAnalysis a, GroupElement g) {
            moveInPlace(m, a, g, false);
            if (g.matrices().isEmpty()) {
                moveInPlace(v, a, g, true);
            } else {
                release(v);
                tv = 0;
            }
        }

        @Override public void reset() {
            close();
            t = 0;
            tv = 0;
        }

        @Override public void close() {
            release(m);
            release(v);
        }
    }

    /**
     * AdaGrad (PyTorch's form, no learning-rate decay): G ← G + g², step g/(√G + ε). G transforms like a squared
     * gradient; a matrix move resets it.
     */
    final class AdaGrad implements Optimizer {
        private final double eps;
        private final double weightDecay;
        private final double initialAccumulator;
        private final Map<String, Tensor> sum = new HashMap<>();

        public AdaGrad(double eps, double weightDecay, double initialAccumulator) {
            if (!(eps > 0) || weightDecay < 0 || initialAccumulator < 0) throw new IllegalArgumentException("AdaGrad needs eps > 0, weight decay ≥ 0, initial accumulator ≥ 0");
            this.eps = eps;
            this.weightDecay = weightDecay;
            this.initialAccumulator = initialAccumulator;
        }

        @Override
        public void step(Map<String, Tensor> params, Map<String, Tensor> grads, double lr) {
            try (NoGradGuard ng = new NoGradGuard()) {
                for (var e : params.entrySet()) {
                    Tensor p = e.getValue();
                    Tensor g = grads.get(e.getKey());
                    if (weightDecay != 0) g = torch.add(g, p, new Scalar(weightDecay));
                    Tensor s = sum.computeIfAbsent(e.getKey(), k -> persistent(torch.full_like(p, new Scalar(initialAccumulator))));
                    s.addcmul_(g, g, new Scalar(1));
                    p.sub_(torch.div(g, torch.add(torch.sqrt(s), new Scalar(eps))), new Scalar(lr));
                }
            }
        }

        @Override public Map<String, Tensor> gradientLikeState() { return Map.of(); }

        /** The running sum of squared gradients. */
        public Map<String, Tensor> squaredState() { return sum; }

        @Override
        public void teleport(SymmetryAnalysis a, GroupElement g) {
            if (g.matrices().isEmpty()) moveInPlace(sum, a, g, true);
            else release(sum);
        }

        @Override public void reset() { close(); }

        @Override public void close() { release(sum); }
    }

    /** Replaces each state tensor's values by its moved values (the tensors stay the same objects). */
    private static void moveInPlace(Map<String, Tensor> state, SymmetryAnalysis a, GroupElement g, boolean squared) {
        if (state.isEmpty()) return;
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        for (var e : state.entrySet()) arrays.put(e.getKey(), NdArray.fromTorch(e.getValue()));
        Map<String, NdArray> moved = squared ? OrbitAction.moveSquaredGradients(arrays, a, g) : OrbitAction.moveGradients(arrays, a, g);
        try (NoGradGuard ng = new NoGradGuard()) {
            for (var e : state.entrySet()) e.getValue().copy_(moved.get(e.getKey()).torchView());
        }
    }

    private static void release(Map<String, Tensor> state) {
        state.values().forEach(Tensor::releaseReference);
        state.clear();
    }

    /** One extra reference so the tensor outlives the step's PointerScope; {@code close()} releases it. */
    private static Tensor persistent(Tensor t) {
        if (org.bytedeco.javacpp.PointerScope.getInnerScope() != null) t.retainReference();
        return t;
    }

    static List<String> names() { return List.of("sgd", "adam", "adagrad"); }
}
