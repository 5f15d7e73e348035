package dev.orbit.ode;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * F(t, x) = w(t)·x + b(t) + B·tanh(A·x + (t/T)·u + c): a linear part that carries the gauge field plus a
 * small network of (t, x). Parameters: A [H, d], u [H], c [H], B [d, H].
 */
public record NonlinearField(LinearField linear, Tensor a, Tensor u, Tensor c, Tensor bOut, double endTime) implements VectorField {
    public static NonlinearField random(LinearField linear, int hidden, double endTime, SplittableRandom rng) {
        int d = linear.dimension();
        return new NonlinearField(linear,
                Tensors.leaf(Tensors.of(Gaussian.vector(rng, hidden * d, 1.0 / Math.sqrt(d)), hidden, d)),
                Tensors.leaf(Tensors.of(Gaussian.vector(rng, hidden, 1.0), hidden)),
                Tensors.leaf(Tensors.of(Gaussian.vector(rng, hidden, 0.5), hidden)),
                Tensors.leaf(Tensors.of(Gaussian.vector(rng, d * hidden, 0.5 / Math.sqrt(hidden)), d, hidden)), endTime);
    }

    /** The pre-activation A·x + (t/T)·u + c. */
    Tensor hiddenInput(double t, Tensor x) {
        return torch.add(torch.matmul(x, a.t()), Tensors.axpy(c, t / endTime, u));
    }

    @Override
    public Tensor at(double t, Tensor x) {
        return torch.add(linear.at(t, x), torch.matmul(torch.tanh(hiddenInput(t, x)), bOut.t()));
    }

    @Override public int dimension() { return linear.dimension(); }

    @Override
    public List<Tensor> parameters() {
        List<Tensor> p = new ArrayList<>(linear.parameters());
        p.addAll(List.of(a, u, c, bOut));
        return p;
    }
}
