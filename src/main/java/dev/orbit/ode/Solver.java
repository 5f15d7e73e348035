package dev.orbit.ode;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * ODE solvers for ẋ = F(t, x) from 0 to T, written in libtorch ops so that autograd differentiates x(T) with
 * respect to the field's parameters (discretise-then-optimise). The adaptive solver chooses its steps from
 * plain numbers (the error estimate is read out with {@code item()}), so the step-size decisions are
 * detached: gradients flow through the accepted steps, not through the choice of step sizes.
 */
public sealed interface Solver permits Solver.Euler, Solver.Rk4, Solver.DormandPrince {
    Solution solve(VectorField f, Tensor x0, double endTime);

    /** A short name for tables: "euler", "rk4", "dopri5". */
    String name();

    /** The end state with the work it took: accepted and rejected steps, field evaluations. */
    record Solution(Tensor x, int steps, int rejected, int evaluations) {}

    /** Explicit Euler with {@code steps} equal steps: x ← x + h·F(t, x), the residual network. */
    record Euler(int steps) implements Solver {
        public Euler {
            if (steps < 1) throw new IllegalArgumentException("Euler needs at least one step");
        }

        @Override
        public Solution solve(VectorField f, Tensor x0, double endTime) {
            double h = endTime / steps;
            Tensor x = x0;
            for (int k = 0; k < steps; k++) x = Tensors.axpy(x, h, f.at(k * h, x));
            return new Solution(x, steps, 0, steps);
        }

        @Override public String name() { return "euler"; }
    }

    /** The classical fourth-order Runge–Kutta method with {@code steps} equal steps. */
    record Rk4(int steps) implements Solver {
        public Rk4 {
            if (steps < 1) throw new IllegalArgumentException("RK4 needs at least one step");
        }

        @Override
        public Solution solve(VectorField f, Tensor x0, double endTime) {
            double h = endTime / steps;
            Tensor x = x0;
            for (int k = 0; k < steps; k++) x = step(f, k * h, h, x);
            return new Solution(x, steps, 0, 4 * steps);
        }

        static Tensor step(VectorField f, double t, double h, Tensor x) {
            Tensor k1 = f.at(t, x);
            Tensor k2 = f.at(t + h / 2, Tensors.axpy(x, h / 2, k1));
            Tensor k3 = f.at(t + h / 2, Tensors.axpy(x, h / 2, k2));
            Tensor k4 = f.at(t + h, Tensors.axpy(x, h, k3));
            Tensor sum = torch.add(torch.add(k1, k4), Tensors.times(torch.add(k2, k3), 2.0));
            return Tensors.axpy(x, h / 6, sum);
        }

        @Override public String name() { return "rk4"; }
    }

    /**
     * Dormand–Prince 5(4) with local extrapolation (the 5th-order solution is propagated), FSAL, and the
     * standard controller: err = RMS of (x₅ − x₄)/(atol + rtol·max(|x|, |x_new|)), accept when err ≤ 1,
     * h ← h·clamp(0.9·err^(−1/5), 0.2, 5). The last step is shortened to land on T exactly.
     */
    record DormandPrince(double rtol, double atol, int maxSteps) implements Solver {
        static final double[] C = {0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1, 1};
        static final double[][] A = {
                {},
                {1.0 / 5},
                {3.0 / 40, 9.0 / 40},
                {44.0 / 45, -56.0 / 15, 32.0 / 9},
                {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729},
                {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656},
                {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84}};
        /** 5th-order weights (= the last row of A) minus the embedded 4th-order weights. */
        static final double[] E = {35.0 / 384 - 5179.0 / 57600, 0, 500.0 / 1113 - 7571.0 / 16695, 125.0 / 192 - 393.0 / 640,
                -2187.0 / 6784 + 92097.0 / 339200, 11.0 / 84 - 187.0 / 2100, -1.0 / 40};

        public DormandPrince {
            if (!(rtol > 0) || !(atol > 0)) throw new IllegalArgumentException("tolerances must be > 0");
        }

        public DormandPrince(double rtol, double atol) { this(rtol, atol, 100_000); }

        @Override
        public Solution solve(VectorField f, Tensor x0, double endTime) {
            Tensor x = x0;
            double t = 0;
            double h = initialStep(f, x0, endTime);
            Tensor k1 = f.at(0, x);
            int evaluations = 2;
            int steps = 0;
            int rejected = 0;
            while (t < endTime) {
                if (steps + rejected >= maxSteps) throw new IllegalStateException("Dormand–Prince: more than " + maxSteps + " steps");
                boolean last = t + h >= endTime * (1 - 1e-12);
                if (last) h = endTime - t;
                Tensor[] k = new Tensor[7];
                k[0] = k1;
                for (int s = 1; s < 7; s++) {
                    Tensor xs = x;
                    for (int j = 0; j < s; j++) if (A[s][j] != 0) xs = Tensors.axpy(xs, h * A[s][j], k[j]);
                    k[s] = f.at(t + C[s] * h, xs);
                }
                evaluations += 6;
                Tensor xNew = x;
                for (int j = 0; j < 6; j++) if (A[6][j] != 0) xNew = Tensors.axpy(xNew, h * A[6][j], k[j]);
                // xNew equals the stage-7 input, so k[6] = F(t + h, xNew): first stage of the next step (FSAL)
                Tensor err = zerosLike(x);
                for (int j = 0; j < 7; j++) if (E[j] != 0) err = Tensors.axpy(err, h * E[j], k[j]);
                double norm = errorNorm(err, x, xNew);
                if (norm <= 1 || h < 1e-14 * endTime) {
                    t = last ? endTime : t + h;
                    x = xNew;
                    k1 = k[6];
                    steps++;
                } else {
                    rejected++;
                }
                double factor = norm == 0 ? 5 : Math.clamp(0.9 * Math.pow(norm, -0.2), 0.2, 5.0);
                if (norm > 1) factor = Math.min(factor, 1.0);
                h *= factor;
            }
            return new Solution(x, steps, rejected, evaluations);
        }

        private double errorNorm(Tensor err, Tensor x, Tensor xNew) {
            Tensor scale = torch.add(Tensors.times(torch.maximum(torch.abs(x.detach()), torch.abs(xNew.detach())), rtol),
                    new org.bytedeco.pytorch.Scalar(atol));
            return torch.sqrt(torch.mean(torch.square(torch.div(err.detach(), scale)))).item_double();
        }

        /** Hairer–Wanner's starting step: h = 0.01·‖x₀‖/‖F(0, x₀)‖ (scaled norms), at most T. */
        private double initialStep(VectorField f, Tensor x0, double endTime) {
            Tensor scale = torch.add(Tensors.times(torch.abs(x0.detach()), rtol), new org.bytedeco.pytorch.Scalar(atol));
            double d0 = torch.sqrt(torch.mean(torch.square(torch.div(x0.detach(), scale)))).item_double();
            double d1 = torch.sqrt(torch.mean(torch.square(torch.div(f.at(0, x0).detach(), scale)))).item_double();
            double h = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 * endTime : 0.01 * d0 / d1;
            return Math.min(h, endTime);
        }

        private static Tensor zerosLike(Tensor x) { return torch.zeros_like(x); }

        @Override public String name() { return "dopri5"; }
    }
}
