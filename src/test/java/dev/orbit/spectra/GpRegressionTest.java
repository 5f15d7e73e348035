package dev.orbit.spectra;

import static dev.orbit.spectra.KernelTensors.*;
import static org.bytedeco.pytorch.global.torch.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

import dev.orbit.ops.activation.ReluFamilyKernel;

/** GP posterior, NTK ensemble and gradient flow against explicit inverses and explicit gradient descent. */
class GpRegressionTest {
    /** A train+test kernel from a real ReLU MLP kernel, split into its blocks. */
    record Problem(Tensor k, Tensor kStar, Tensor kss, Tensor theta, Tensor thetaStar, Tensor y) {}

    static Problem problem(int n, int m) {
        Tensor x = gaussian(11, n + m, 6);
        MlpKernel.Kernels all = MlpKernel.of(2, ReluFamilyKernel.RELU, 2, 0.1).matrix(x, x, true, null);
        Tensor y = gaussian(12, n, 3);
        return new Problem(all.nngp().narrow(0, 0, n).narrow(1, 0, n), all.nngp().narrow(0, n, m).narrow(1, 0, n),
                all.nngp().narrow(0, n, m).narrow(1, n, m).diagonal(), all.ntk().narrow(0, 0, n).narrow(1, 0, n),
                all.ntk().narrow(0, n, m).narrow(1, 0, n), y);
    }

    @Test
    void posteriorMatchesExplicitInverse() {
        try (PointerScope s = new PointerScope()) {
            Problem p = problem(12, 5);
            GpRegression.Factor f = GpRegression.cholesky(p.k(), 0);
            assertEquals(0, f.retries());
            Tensor inv = linalg_inv(p.k());
            Tensor mean = mm(p.kStar(), mm(inv, p.y()));
            Tensor var = p.kss().sub(mm(p.kStar(), mm(inv, p.kStar().t())).diagonal());
            assertEquals(0, maxAbsDiff(mean, GpRegression.mean(f, p.kStar(), p.y())), 1e-8);
            assertEquals(0, maxAbsDiff(var, GpRegression.variance(f, p.kStar(), p.kss())), 1e-8);
            assertTrue(GpRegression.variance(f, p.kStar(), p.kss()).min().item_double() > 0, "a proper GP has positive variance off the data");

            GpRegression.Factor ft = GpRegression.cholesky(p.theta(), 0);
            Tensor tinv = linalg_inv(p.theta());
            Tensor a = mm(p.thetaStar(), tinv);
            Tensor ens = p.kss().add(mm(mm(a, p.k()), a.t()).diagonal()).sub(mm(a, p.kStar().t()).diagonal(), new Scalar(2.0));
            assertEquals(0, maxAbsDiff(ens, GpRegression.ntkEnsembleVariance(ft, p.thetaStar(), p.k(), p.kStar(), p.kss())), 1e-8);
            assertEquals(0, maxAbsDiff(mm(a, p.y()), GpRegression.mean(ft, p.thetaStar(), p.y())), 1e-8);
        }
    }

    @Test
    void theMeanInterpolatesTheTrainingTargetsWhereTheVarianceVanishes() {
        try (PointerScope s = new PointerScope()) {
            Problem p = problem(10, 1);
            GpRegression.Factor f = GpRegression.cholesky(p.k(), 1e-12);
            assertEquals(0, maxAbsDiff(p.y(), GpRegression.mean(f, p.k(), p.y())), 1e-6);
            assertEquals(0, GpRegression.variance(f, p.k(), p.k().diagonal()).abs().max().item_double(), 1e-6);
        }
    }

    @Test
    void singularKernelsGetMoreRegularisationAndImpossibleOnesAreRefused() {
        try (PointerScope s = new PointerScope()) {
            Tensor v = gaussian(13, 30, 1);
            Tensor rankOne = mm(v, v.t());
            GpRegression.Factor f = GpRegression.cholesky(rankOne, 0);
            assertTrue(f.retries() > 0 && f.epsilon() > 0, "rank-one 30×30 kernel needs jitter: " + f);
            assertEquals(f.epsilon() * rankOne.diagonal().mean().item_double(), f.jitter(), 1e-12 * f.jitter());
            Tensor negative = rankOne.neg();
            assertThrows(GpRegression.SingularKernelException.class, () -> GpRegression.cholesky(negative, 1e-6));
        }
    }

    @Test
    void gradientFlowMatchesSmallStepGradientDescentAndConvergesToTheKernelRegressor() {
        try (PointerScope s = new PointerScope()) {
            Problem p = problem(15, 6);
            GradientFlow flow = new GradientFlow(p.theta(), p.thetaStar(), p.y());
            long entries = p.y().numel();
            double etaMax = GpRegression.maxLearningRate(flow.largestEigenvalue(), entries, 0);
            // explicit gradient descent on (1/(2|y|))‖f − y‖² with a step far below η_max approximates the flow
            double eta = etaMax / 200;
            int steps = 4000;
            Tensor f = zeros_like(p.y()), fStar = zeros(new long[] {6, 3}, new org.bytedeco.pytorch.TensorOptions(ScalarType.Double));
            for (int t = 0; t < steps; t++) {
                Tensor residual = f.sub(p.y()).mul_(new Scalar(eta / entries));
                fStar.sub_(mm(p.thetaStar(), residual));
                f.sub_(mm(p.theta(), residual));
            }
            double scale = p.y().abs().max().item_double();
            assertEquals(0, maxAbsDiff(f, flow.train(p.y(), eta, steps)), 2e-2 * scale);
            assertEquals(0, maxAbsDiff(fStar, flow.test(eta, steps)), 2e-2 * scale);
            assertEquals(0, maxAbsDiff(zeros_like(fStar), flow.test(eta, 0)), 0);
            GpRegression.Factor factor = GpRegression.cholesky(p.theta(), 0);
            assertEquals(0, maxAbsDiff(GpRegression.mean(factor, p.thetaStar(), p.y()), flow.test(eta, Double.POSITIVE_INFINITY)), 1e-7);
            assertEquals(0, maxAbsDiff(GpRegression.mean(factor, p.thetaStar(), p.y()), flow.test(eta, 1e12)), 1e-6);
        }
    }

    @Test
    void gradientDescentIsStableJustBelowTheMaximalLearningRateAndDivergesJustAbove() {
        try (PointerScope s = new PointerScope()) {
            Problem p = problem(15, 1);
            long entries = p.y().numel();
            double lmax = linalg_eigvalsh(p.theta()).max().item_double();
            double etaMax = GpRegression.maxLearningRate(lmax, entries, 0);
            assertTrue(trainLoss(p, 0.95 * etaMax, 3000) < 1e-2 * trainLoss(p, 0.95 * etaMax, 0));
            assertTrue(trainLoss(p, 1.05 * etaMax, 3000) > 1e3 * trainLoss(p, 1.05 * etaMax, 0));
        }
    }

    private static double trainLoss(Problem p, double eta, int steps) {
        long entries = p.y().numel();
        Tensor f = zeros_like(p.y());
        for (int t = 0; t < steps; t++) f.sub_(mm(p.theta(), f.sub(p.y()).mul_(new Scalar(eta / entries))));
        Tensor r = f.sub(p.y());
        return r.mul(r).sum().item_double() / (2 * entries);
    }
}
