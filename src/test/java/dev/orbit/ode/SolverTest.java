package dev.orbit.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import dev.orbit.train.Gradients;

class SolverTest {
    static final double T = 1.0;

    /** ẋ = A x + b with constant A, b: x(T) = [exp(T·[[A, b], [0, 0]])·(x₀; 1)]₁..d. */
    static Tensor closedForm(double[][] a, double[] b, Tensor x0) {
        int d = b.length;
        double[] m = new double[(d + 1) * (d + 1)];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) m[i * (d + 1) + j] = a[i][j] * T;
            m[i * (d + 1) + d] = b[i] * T;
        }
        Tensor e = torch.matrix_exp(Tensors.of(m, d + 1, d + 1));
        Tensor ones = torch.ones(new long[] {x0.size(0), 1}, Tensors.f64());
        return torch.matmul(torch.cat(new TensorVector(x0, ones), 1), e.t()).narrow(1, 0, d);
    }

    static LinearField constantField(double[][] a, double[] b) {
        int d = b.length;
        double[] w = new double[2 * d * d];
        double[] bb = new double[2 * d];
        for (int k = 0; k < 2; k++) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) w[(k * d + i) * d + j] = a[i][j];
                bb[k * d + i] = b[i];
            }
        }
        return new LinearField(new GridFunction(Tensors.of(w, 2, d, d), T), new GridFunction(Tensors.of(bb, 2, d), T));
    }

    static final double[][] A = {{-0.3, 1.2, 0.1}, {-1.0, 0.2, 0.4}, {0.3, -0.5, -0.6}};
    static final double[] B = {0.5, -0.2, 0.3};

    private static double error(Solver s) {
        try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
            Tensor x0 = Tensors.of(new double[] {1, -0.5, 0.25, 0.3, 0.8, -1.1}, 2, 3);
            return Tensors.maxAbs(torch.sub(s.solve(constantField(A, B), x0, T).x(), closedForm(A, B, x0)));
        }
    }

    @Test
    void fixedStepSolversConvergeAtTheirOrder() {
        double e1 = error(new Solver.Euler(64));
        double e2 = error(new Solver.Euler(128));
        double eulerOrder = Math.log(e1 / e2) / Math.log(2);
        assertEquals(1.0, eulerOrder, 0.05, "Euler order");
        double r1 = error(new Solver.Rk4(8));
        double r2 = error(new Solver.Rk4(16));
        double rk4Order = Math.log(r1 / r2) / Math.log(2);
        assertEquals(4.0, rk4Order, 0.2, "RK4 order");
        double fine = error(new Solver.Rk4(256));
        assertTrue(fine < 1e-11, "RK4, 256 steps: " + fine);
    }

    @Test
    void dormandPrinceMeetsItsToleranceAndSpendsMoreStepsWhenTighter() {
        double loose = error(new Solver.DormandPrince(1e-5, 1e-8));
        double tight = error(new Solver.DormandPrince(1e-10, 1e-12));
        assertTrue(loose < 1e-4 && loose > tight, loose + " vs " + tight);
        assertTrue(tight < 1e-9, "tight " + tight);
        try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
            Tensor x0 = Tensors.of(new double[] {1, -0.5, 0.25}, 1, 3);
            int s1 = new Solver.DormandPrince(1e-5, 1e-8).solve(constantField(A, B), x0, T).steps();
            int s2 = new Solver.DormandPrince(1e-10, 1e-12).solve(constantField(A, B), x0, T).steps();
            assertTrue(s2 > 3 * s1, s1 + " steps vs " + s2);
        }
    }

    /** Discretise-then-optimise: autograd through the fixed-step solvers matches central finite differences. */
    @Test
    void gradientsThroughFixedStepSolversMatchFiniteDifferences() {
        for (Solver s : List.of(new Solver.Euler(12), new Solver.Rk4(6))) {
            try (PointerScope scope = new PointerScope()) {
                NonlinearField nf = randomField();
                Tensor x0 = Tensors.of(new double[] {0.4, -0.9, 1.2, 0.3}, 2, 2);
                List<Tensor> params = nf.parameters();
                List<Tensor> grads = Gradients.grad(squaredEnd(s, nf, x0), params, false);
                for (int p = 0; p < params.size(); p++) {
                    double[] g = Tensors.values(grads.get(p));
                    for (int i = 0; i < g.length; i += 3) {
                        double fd = finiteDifference(s, nf, x0, params.get(p), i, 1e-6);
                        assertEquals(fd, g[i], 1e-6 * Math.max(1, Math.abs(fd)), s.name() + " param " + p + " entry " + i);
                    }
                }
            }
        }
    }

    /**
     * The adaptive solver's step sizes jump when a parameter moves (its solution wobbles at the tolerance), so
     * finite differences of it are noise; its autograd gradient (steps detached) is checked against RK4 with
     * 400 steps instead.
     */
    @Test
    void adaptiveGradientMatchesAFineRk4Gradient() {
        try (PointerScope scope = new PointerScope()) {
            NonlinearField nf = randomField();
            Tensor x0 = Tensors.of(new double[] {0.4, -0.9, 1.2, 0.3}, 2, 2);
            List<Tensor> fine = Gradients.grad(squaredEnd(new Solver.Rk4(400), nf, x0), nf.parameters(), false);
            List<Tensor> adaptive = Gradients.grad(squaredEnd(new Solver.DormandPrince(1e-9, 1e-11), nf, x0), nf.parameters(), false);
            for (int p = 0; p < fine.size(); p++) {
                double scale = Math.max(1, Tensors.maxAbs(fine.get(p)));
                double diff = Tensors.maxAbs(torch.sub(fine.get(p), adaptive.get(p)));
                assertTrue(diff < 1e-7 * scale, "param " + p + ": " + diff);
            }
        }
    }

    private static NonlinearField randomField() {
        var rng = new SplittableRandom(3);
        LinearField f = new LinearField(GridFunction.random(3, new long[] {2, 2}, 0.7, T, rng),
                GridFunction.random(3, new long[] {2}, 0.7, T, rng));
        return NonlinearField.random(f, 5, T, rng);
    }

    private static Tensor squaredEnd(Solver s, VectorField f, Tensor x0) {
        return torch.sum(torch.square(s.solve(f, x0, T).x()));
    }

    private static double finiteDifference(Solver s, VectorField f, Tensor x0, Tensor param, int index, double eps) {
        Tensor flat = param.detach().view(-1);
        double v = flat.get(index).item_double();
        double[] out = new double[2];
        try (NoGradGuard ng = new NoGradGuard()) {
            for (int side = 0; side < 2; side++) {
                flat.get(index).fill_(new org.bytedeco.pytorch.Scalar(v + (side == 0 ? eps : -eps)));
                out[side] = torch.sum(torch.square(s.solve(f, x0, T).x())).item_double();
            }
            flat.get(index).fill_(new org.bytedeco.pytorch.Scalar(v));
        }
        return (out[0] - out[1]) / (2 * eps);
    }
}
