package dev.orbit.spectra;

import static org.bytedeco.pytorch.global.torch.*;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * Mean predictions of an infinitely wide network trained by gradient flow on the MSE (1/(2|y|))·‖f − y‖² with
 * learning rate η, from the eigendecomposition Θ = V·diag(λ)·Vᵀ of the train×train NTK (outputs at
 * initialisation averaged out, f₀ = 0):
 * f_t(train) = Y − V·diag(e^{−ηλt/|y|})·Vᵀ·Y,  f_t(test) = Θ*·V·diag((1 − e^{−ηλt/|y|})/λ)·Vᵀ·Y.
 * Given an NNGP kernel instead, the same formulas describe training only the readout layer.
 */
public final class GradientFlow {
    private final Tensor eigenvalues;   // N, ascending, clamped at 0 (rounding can make the smallest negative)
    private final Tensor eigenvectors;  // N×N
    private final Tensor projected;     // Vᵀ·Y, N×k
    private final Tensor crossProjected; // Θ*·V, M×N
    private final long targetEntries;

    public GradientFlow(Tensor trainKernel, Tensor testTrainKernel, Tensor targets) {
        var eig = linalg_eigh(trainKernel);
        eigenvalues = eig.get0().clamp_min(new Scalar(0.0));
        eigenvectors = eig.get1();
        projected = mm(eigenvectors.t(), targets);
        crossProjected = mm(testTrainKernel, eigenvectors);
        targetEntries = targets.numel();
    }

    /** Eigenvalues of the train×train kernel, ascending. */
    public Tensor eigenvalues() { return eigenvalues; }

    public double largestEigenvalue() { return eigenvalues.get(eigenvalues.size(0) - 1).item_double(); }

    /**
     * Test predictions (M×k) at time t with learning rate η; t = ∞ gives Θ*·Θ⁺·Y, the pseudo-inverse dropping
     * eigenvalues below n·ε_machine·λ_max (rounding noise, whose modes gradient flow never reaches either).
     */
    public Tensor test(double learningRate, double time) {
        Tensor lambda = eigenvalues;
        Tensor coefficient;
        if (Double.isInfinite(time)) {
            double cutoff = eigenvalues.size(0) * Math.ulp(1.0) * largestEigenvalue();
            coefficient = lambda.gt(new Scalar(cutoff)).to(ScalarType.Double).div_(lambda.clamp_min(new Scalar(Double.MIN_NORMAL)));
        } else {
            double scale = learningRate * time / targetEntries;
            // (1 − e^{−sλ})/λ = −expm1(−sλ)/λ, which tends to s as λ → 0
            Tensor x = lambda.mul(new Scalar(-scale));
            Tensor tiny = lambda.lt(new Scalar(1e-300));
            coefficient = expm1(x).neg_().div_(lambda.clamp_min(new Scalar(1e-300))).masked_fill_(tiny, new Scalar(scale));
        }
        return mm(crossProjected, projected.mul(coefficient.reshape(-1, 1)));
    }

    /** Train predictions (N×k) at time t. */
    public Tensor train(Tensor targets, double learningRate, double time) {
        double cutoff = eigenvalues.size(0) * Math.ulp(1.0) * largestEigenvalue();
        Tensor decay = Double.isInfinite(time) ? eigenvalues.le(new Scalar(cutoff)).to(ScalarType.Double)
                : eigenvalues.mul(new Scalar(-learningRate * time / targetEntries)).exp_();
        return targets.sub(mm(eigenvectors, projected.mul(decay.reshape(-1, 1))));
    }

    public long targetEntries() { return targetEntries; }
}
