package dev.orbit.ode;

import java.util.SplittableRandom;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * A small 2-D regression task: points of the unit disk, targets y = s·R(θ(r))·x rotated by an angle that grows
 * with the radius, θ(r) = θ₀ + κ·r². A linear ODE can only learn an affine map (the best affine fit is its
 * floor); a non-linear field can follow the radius-dependent twist.
 */
public final class TwistTask {
    static final double BASE_ANGLE = 0.6;
    static final double TWIST = 2.0;
    static final double SCALE = 1.3;

    /** Inputs [n, 2] and targets [n, 2]. */
    public record Data(Tensor x, Tensor y) {
        public int size() { return (int) x.size(0); }
    }

    private TwistTask() {}

    public static Data sample(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[2 * n];
        double[] y = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double r = Math.sqrt(rng.nextDouble());
            double phi = 2 * Math.PI * rng.nextDouble();
            double a = r * Math.cos(phi);
            double b = r * Math.sin(phi);
            double theta = BASE_ANGLE + TWIST * r * r;
            x[2 * i] = a;
            x[2 * i + 1] = b;
            y[2 * i] = SCALE * (Math.cos(theta) * a - Math.sin(theta) * b);
            y[2 * i + 1] = SCALE * (Math.sin(theta) * a + Math.cos(theta) * b);
        }
        return new Data(Tensors.of(x, n, 2), Tensors.of(y, n, 2));
    }

    /** The mean squared error of the best affine map x → Mx + c (least squares): a floor for any linear ODE. */
    public static double bestAffineLoss(Data d) {
        Tensor ones = torch.ones(new long[] {d.size(), 1}, Tensors.f64());
        Tensor design = torch.cat(new org.bytedeco.pytorch.TensorVector(d.x(), ones), 1);
        Tensor coef = torch.linalg_solve(torch.matmul(design.t(), design), torch.matmul(design.t(), d.y()));
        return torch.mse_loss(torch.matmul(design, coef), d.y()).item_double();
    }
}
