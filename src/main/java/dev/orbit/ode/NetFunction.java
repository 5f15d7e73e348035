package dev.orbit.ode;

import java.util.List;
import java.util.SplittableRandom;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * A coefficient given by a small network of t: c(t) = V·tanh(u·t/T + a) + c₀, reshaped to {@code shape}.
 * Smooth in t (unlike {@link GridFunction}), so solvers keep their formal order at any step size.
 */
public final class NetFunction implements TimeFunction {
    private final Tensor u;   // [H]
    private final Tensor a;   // [H]
    private final Tensor v;   // [n, H]
    private final Tensor c0;  // [n]
    private final long[] shape;
    private final double endTime;

    public NetFunction(Tensor u, Tensor a, Tensor v, Tensor c0, long[] shape, double endTime) {
        this.u = u;
        this.a = a;
        this.v = v;
        this.c0 = c0;
        this.shape = shape.clone();
        this.endTime = endTime;
    }

    /** Hidden width {@code hidden}; the output starts near N(0, scale²) and varies over [0, T]. */
    public static NetFunction random(int hidden, long[] shape, double scale, double endTime, SplittableRandom rng) {
        int n = Math.toIntExact(dev.orbit.tensor.NdArray.count(shape));
        return new NetFunction(
                Tensors.leaf(Tensors.of(Gaussian.vector(rng, hidden, 2.0), hidden)),
                Tensors.leaf(Tensors.of(Gaussian.vector(rng, hidden, 1.0), hidden)),
                Tensors.leaf(Tensors.of(Gaussian.vector(rng, n * hidden, scale / Math.sqrt(hidden)), n, hidden)),
                Tensors.leaf(Tensors.of(Gaussian.vector(rng, n, scale), n)), shape, endTime);
    }

    @Override
    public Tensor at(double t) {
        Tensor h = torch.tanh(Tensors.axpy(a, t / endTime, u));
        return torch.add(torch.mv(v, h), c0).reshape(shape);
    }

    @Override public long[] shape() { return shape.clone(); }

    @Override public List<Tensor> parameters() { return List.of(u, a, v, c0); }
}
