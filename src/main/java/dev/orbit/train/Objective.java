package dev.orbit.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import dev.orbit.tensor.NdArray;

/**
 * What a purposeful teleport optimises along the orbit: a differentiable scalar of the moved point, and whether to
 * raise or lower it. The built-ins:
 * <ul>
 *   <li>{@link #gradientNorm}: ‖∇L‖² on a batch (symmetry teleportation, Zhao et al. 2022), maximised;</li>
 *   <li>{@link #sharpness}: the top Hessian eigenvalue of the loss by power iteration on Hessian-vector products,
 *       minimised;</li>
 *   <li>{@link #hessianTrace}: the Hessian trace by Hutchinson's estimator (fixed Rademacher probes), minimised;</li>
 *   <li>{@link #weightNorm}: Σ‖W‖² over the weight tensors (rank ≥ 2; equi-normalisation), minimised.</li>
 * </ul>
 * {@link #logarithmic()}: the optimiser steps on ln f (f must stay positive), so a learning rate means the same
 * relative change whatever f's units and however f shrinks during training. A Java user passes any other
 * objective with {@link #of}.
 */
public interface Objective {
    enum Goal { MAXIMIZE, MINIMIZE }

    String name();

    Goal goal();

    /** The objective at {@code at}, a scalar tensor with autograd history back to the group coordinates. */
    Tensor value(OrbitPoint at);

    default boolean logarithmic() { return false; }

    /** A user's objective. */
    static Objective of(String name, Goal goal, Function<OrbitPoint, Tensor> f) {
        return new Custom(name, goal, false, f);
    }

    /** ‖∇_W L‖² of the loss on (x, y) over the trainable parameters, maximised, stepped in ln. */
    static Objective gradientNorm(NdArray x, NdArray y, Loss loss) {
        return new Custom("grad-norm", Goal.MAXIMIZE, true, at -> {
            List<Tensor> w = at.trainable();
            List<Tensor> g = Gradients.grad(at.loss(x.torchView(), y.torchView(), loss), w, true);
            return sumDot(g, g);
        });
    }

    /** λ_max of the loss Hessian on (x, y): {@code iterations} power steps from a fixed random vector, then vᵀHv with its graph. */
    static Objective sharpness(NdArray x, NdArray y, Loss loss, int iterations, long seed) {
        if (iterations < 1) throw new IllegalArgumentException("power iteration needs at least one step");
        return new Custom("sharpness", Goal.MINIMIZE, true, at -> {
            OrbitPoint d = at.detached();
            List<Tensor> wd = d.trainable();
            Tensor lossD = d.loss(x.torchView(), y.torchView(), loss);
            List<Tensor> v = normalise(random(wd, seed, false));
            for (int i = 0; i < iterations; i++) {
                List<Tensor> hv = Gradients.hessianVector(lossD, wd, v);
                v = normalise(hv.stream().map(Tensor::detach).toList());
                lossD = d.loss(x.torchView(), y.torchView(), loss); // hessianVector frees the graph
            }
            return quadratic(at, x, y, loss, v);
        });
    }

    /** tr H of the loss on (x, y) by Hutchinson: the mean of zᵀHz over {@code probes} Rademacher vectors drawn once. */
    static Objective hessianTrace(NdArray x, NdArray y, Loss loss, int probes, long seed) {
        if (probes < 1) throw new IllegalArgumentException("Hutchinson's estimator needs at least one probe");
        return new Custom("trace", Goal.MINIMIZE, true, at -> {
            Tensor sum = null;
            for (int k = 0; k < probes; k++) {
                Tensor q = quadratic(at, x, y, loss, random(at.trainable(), seed + k, true));
                sum = sum == null ? q : torch.add(sum, q);
            }
            return torch.div(sum, new org.bytedeco.pytorch.Scalar(probes));
        });
    }

    /** Σ‖W‖² over the trainable tensors of rank ≥ 2 (biases and per-channel constants left out), minimised. */
    static Objective weightNorm() {
        return new Custom("weight-norm", Goal.MINIMIZE, false, at -> {
            Tensor sum = null;
            for (Tensor w : at.trainable()) {
                if (w.dim() < 2) continue;
                Tensor t = torch.sum(torch.mul(w, w));
                sum = sum == null ? t : torch.add(sum, t);
            }
            if (sum == null) throw new IllegalArgumentException("the model has no weight matrix to normalise");
            return sum;
        });
    }

    /** vᵀ H v with the graph kept (third-order autograd when the optimiser differentiates it). */
    private static Tensor quadratic(OrbitPoint at, NdArray x, NdArray y, Loss loss, List<Tensor> v) {
        List<Tensor> w = at.trainable();
        List<Tensor> g = Gradients.grad(at.loss(x.torchView(), y.torchView(), loss), w, true);
        List<Tensor> hv = Gradients.grad(sumDot(g, v), w, true);
        return sumDot(hv, v);
    }

    private static Tensor sumDot(List<Tensor> a, List<Tensor> b) {
        Tensor s = null;
        for (int i = 0; i < a.size(); i++) {
            Tensor t = torch.sum(torch.mul(a.get(i), b.get(i)));
            s = s == null ? t : torch.add(s, t);
        }
        return s;
    }

    /** Gaussian (or Rademacher) tensors shaped like {@code like}, float64, from a fixed seed. */
    private static List<Tensor> random(List<Tensor> like, long seed, boolean rademacher) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Tensor> out = new ArrayList<>();
        for (Tensor w : like) {
            long[] shape = w.sizes().vec().get();
            double[] v = new double[Math.toIntExact(w.numel())];
            for (int i = 0; i < v.length; i++) {
                v[i] = rademacher ? (rng.nextBoolean() ? 1 : -1)
                        : Math.sqrt(-2 * Math.log1p(-rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
            }
            out.add(NdArray.ofDoubles(v, shape).toTorch());
        }
        return out;
    }

    private static List<Tensor> normalise(List<Tensor> v) {
        double n = Math.sqrt(sumDot(v, v).item_double());
        if (!(n > 0)) return v;
        return v.stream().map(t -> torch.div(t, new org.bytedeco.pytorch.Scalar(n))).toList();
    }

    /** An objective from a function. */
    record Custom(String name, Goal goal, boolean logarithmic, Function<OrbitPoint, Tensor> f) implements Objective {
        @Override
        public Tensor value(OrbitPoint at) { return f.apply(at); }
    }
}
