package dev.orbit.spectra;

import static org.bytedeco.pytorch.global.torch.*;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;

import dev.orbit.tensor.NdArray;

/**
 * Exact inference with infinite-width kernels (neural-tangents' predict formulas), float64, Cholesky-based.
 * K is the train×train kernel, K* the test×train kernel, K** the test variances, Y the train targets (N×k).
 * <ul>
 * <li>GP posterior (NNGP, Bayesian): mean K*·K⁻¹·Y, variance K** − diag(K*·K⁻¹·K*ᵀ).
 * <li>NTK ensemble after training to convergence (t = ∞, outputs at initialisation averaged out): mean
 * Θ*·Θ⁻¹·Y, variance K** + diag(Θ*Θ⁻¹·K·Θ⁻¹Θ*ᵀ) − 2·diag(Θ*Θ⁻¹·K*ᵀ).
 * </ul>
 * Every inverse is a solve with one regularised Cholesky factor of K + ε·(tr K/n)·I.
 */
public final class GpRegression {
    /** Largest relative regularisation tried before giving up. */
    public static final double MAX_EPSILON = 1e-1;

    private GpRegression() {}

    /** A kernel matrix that stays singular even with the largest regularisation. */
    public static final class SingularKernelException extends ArithmeticException {
        public SingularKernelException(String message) { super(message); }
    }

    /**
     * Lower Cholesky factor of K + ε·(tr K/n)·I. ε starts at {@code epsilon} and grows ×10 while the factorisation
     * fails, up to {@link #MAX_EPSILON}; {@code retries} says how often it had to.
     */
    public record Factor(Tensor lower, double epsilon, double jitter, int retries) {}

    public static Factor cholesky(Tensor k, double epsilon) {
        if (!(epsilon >= 0) || !Double.isFinite(epsilon)) throw new IllegalArgumentException("ε must be ≥ 0, got " + epsilon);
        long n = k.size(0);
        double meanDiagonal = k.diagonal().sum().item_double() / n;
        if (!Double.isFinite(meanDiagonal)) throw new SingularKernelException("the kernel matrix has NaN or infinite entries");
        double eps = epsilon;
        for (int retries = 0; ; retries++) {
            double jitter = eps * meanDiagonal;
            Tensor a = k.clone();
            a.diagonal().add_(new Scalar(jitter));
            var result = linalg_cholesky_ex(a);
            if (result.get1().item_long() == 0) return new Factor(result.get0(), eps, jitter, retries);
            double next = eps == 0 ? 1e-12 : eps * 10;
            if (next > MAX_EPSILON * (1 + 1e-9)) {
                throw new SingularKernelException(String.format("the %d×%d kernel matrix is not positive definite even with "
                        + "regularisation ε = %.0e (jitter ε·tr(K)/n added to the diagonal)", n, n, eps));
            }
            eps = next;
        }
    }

    /** K⁻¹·rhs. */
    public static Tensor solve(Factor f, Tensor rhs) {
        return cholesky_solve(rhs, f.lower(), false);
    }

    /** Posterior mean K*·K⁻¹·Y (also the NTK-ensemble mean when given Θ's factor and Θ*). */
    public static Tensor mean(Factor f, Tensor kStar, Tensor y) {
        return mm(kStar, solve(f, y));
    }

    /** Posterior variance K** − diag(K*·K⁻¹·K*ᵀ), one value per test input. */
    public static Tensor variance(Factor f, Tensor kStar, Tensor kStarStarDiagonal) {
        Tensor a = linalg_solve_triangular(f.lower(), kStar.t(), false, true, false); // L⁻¹K*ᵀ, N×M
        return kStarStarDiagonal.sub(a.mul(a).sum(new long[] {0}, false, new ScalarTypeOptional()));
    }

    /**
     * Variance of the NTK-trained ensemble at t = ∞ given Θ's factor, Θ* (test×train NTK), the NNGP K (train×train),
     * K* (test×train NNGP) and the NNGP test variances.
     */
    public static Tensor ntkEnsembleVariance(Factor theta, Tensor thetaStar, Tensor k, Tensor kStar, Tensor kStarStarDiagonal) {
        Tensor b = solve(theta, thetaStar.t()); // Θ⁻¹Θ*ᵀ, N×M
        Tensor quad = b.mul(mm(k, b)).sum(new long[] {0}, false, new ScalarTypeOptional());
        Tensor cross = b.mul(kStar.t()).sum(new long[] {0}, false, new ScalarTypeOptional());
        return kStarStarDiagonal.add(quad).sub_(cross, new Scalar(2.0));
    }

    /** Largest learning rate for which gradient descent on the MSE (1/(2|y|))·‖f − y‖² with this NTK is stable. */
    public static double maxLearningRate(double ntkLargestEigenvalue, long targetEntries, double momentum) {
        return 2 * (1 + momentum) * targetEntries / ntkLargestEigenvalue;
    }

    /** Index of the largest entry of each row, e.g. the predicted class of each test input. */
    public static long[] argmaxRows(Tensor scores) {
        return NdArray.fromTorch(argmax(scores, new org.bytedeco.pytorch.LongOptional(1), false)).toLongArray();
    }
}
