package dev.orbit.ode;

import java.util.List;
import java.util.SplittableRandom;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Values on K+1 equally spaced knots of [0, T], linearly interpolated: the "time grid" parameterisation of a
 * coefficient. Piecewise linear, so its time derivative jumps at the knots: fixed-step solvers keep their
 * formal order only when their steps (and RK4's half steps) line up with the knots.
 */
public final class GridFunction implements TimeFunction {
    private final Tensor knots; // [K+1, shape...]
    private final double endTime;
    private final long[] shape;

    public GridFunction(Tensor knots, double endTime) {
        this.knots = knots;
        this.endTime = endTime;
        long[] s = knots.sizes().vec().get();
        this.shape = java.util.Arrays.copyOfRange(s, 1, s.length);
        if (s[0] < 2) throw new IllegalArgumentException("a time grid needs at least 2 knots");
    }

    /** Knot values drawn from N(0, scale²), a trainable leaf. */
    public static GridFunction random(int intervals, long[] shape, double scale, double endTime, SplittableRandom rng) {
        long[] s = new long[shape.length + 1];
        s[0] = intervals + 1L;
        System.arraycopy(shape, 0, s, 1, shape.length);
        int n = Math.toIntExact(dev.orbit.tensor.NdArray.count(s));
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = scale * Gaussian.next(rng);
        return new GridFunction(Tensors.leaf(Tensors.of(v, s)), endTime);
    }

    public int intervals() { return (int) knots.size(0) - 1; }

    public double endTime() { return endTime; }

    public Tensor knots() { return knots; }

    @Override
    public Tensor at(double t) {
        int k = intervals();
        double s = Math.clamp(t / endTime * k, 0.0, k);
        int i = Math.min((int) Math.floor(s), k - 1);
        double a = s - i;
        Tensor lo = knots.select(0, i);
        if (a == 0) return lo;
        return torch.add(Tensors.times(lo, 1 - a), Tensors.times(knots.select(0, i + 1), a));
    }

    @Override public long[] shape() { return shape.clone(); }

    @Override public List<Tensor> parameters() { return List.of(knots); }
}
