package dev.orbit.ode;

import java.util.SplittableRandom;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * A spatial gauge G(t) = exp(g(t)) with g(t) = Σ_k C_k·sin(kπt/T), C_k ∈ ℝ^{d×d}: a smooth path in GL⁺(d) with
 * G(0) = G(T) = I. Ġ is exact, not a finite difference: for M = [[g, ġ], [0, g]], exp(M) = [[G, Ġ], [0, G]]
 * (the derivative of the matrix exponential, valid although g and ġ do not commute). The coefficients may be
 * a trainable leaf, so a gauge can be optimised by autograd (gauge fixing).
 */
public record MatrixGauge(double endTime, Tensor coefficients) {
    /** A gauge at one time: G, Ġ and G⁻¹ = exp(−g). Batched frames have a leading time axis. */
    public record Frame(Tensor g, Tensor gDot, Tensor gInv) {}

    public int dimension() { return (int) coefficients.size(1); }

    public int modes() { return (int) coefficients.size(0); }

    /** Entries of C_k drawn from amplitude·N(0,1)/k²; {@code diagonal} keeps only the diagonal (per-neuron scaling). */
    public static MatrixGauge random(int d, int modes, double amplitude, boolean diagonal, double endTime, SplittableRandom rng) {
        double[] c = new double[modes * d * d];
        for (int k = 1; k <= modes; k++) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    if (diagonal && i != j) continue;
                    c[((k - 1) * d + i) * d + j] = amplitude * Gaussian.next(rng) / ((double) k * k);
                }
            }
        }
        return new MatrixGauge(endTime, Tensors.of(c, modes, d, d));
    }

    /** The diagonal gauge G = diag(exp(g_i(t))) with one sine series per coordinate. */
    public static MatrixGauge diagonal(SineSeries[] perCoordinate) {
        int d = perCoordinate.length;
        int modes = perCoordinate[0].coefficients().length;
        double[] c = new double[modes * d * d];
        for (int i = 0; i < d; i++) {
            for (int k = 0; k < modes; k++) c[(k * d + i) * d + i] = perCoordinate[i].coefficients()[k];
        }
        return new MatrixGauge(perCoordinate[0].endTime(), Tensors.of(c, modes, d, d));
    }

    public Frame at(double t) {
        return frames(new double[] {t}).select(0);
    }

    /** Frames at several times at once: G, Ġ, G⁻¹ of shape [M, d, d]. */
    public Frames frames(double[] times) {
        int m = times.length;
        int k = modes();
        double[] sin = new double[m * k];
        double[] cos = new double[m * k];
        for (int i = 0; i < m; i++) {
            for (int j = 1; j <= k; j++) {
                double w = j * Math.PI / endTime;
                sin[i * k + j - 1] = Math.sin(w * times[i]);
                cos[i * k + j - 1] = w * Math.cos(w * times[i]);
            }
        }
        int d = dimension();
        Tensor flat = coefficients.reshape(k, (long) d * d);
        Tensor g = torch.matmul(Tensors.of(sin, m, k), flat).reshape(m, d, d);
        Tensor gDot = torch.matmul(Tensors.of(cos, m, k), flat).reshape(m, d, d);
        Tensor block = torch.cat(new org.bytedeco.pytorch.TensorVector(
                torch.cat(new org.bytedeco.pytorch.TensorVector(g, gDot), 2),
                torch.cat(new org.bytedeco.pytorch.TensorVector(torch.zeros_like(g), g), 2)), 1);
        Tensor e = torch.matrix_exp(block);
        Tensor big = e.narrow(1, 0, d);
        return new Frames(big.narrow(2, 0, d), big.narrow(2, d, d), torch.matrix_exp(torch.neg(g)));
    }

    /** Frames at M times, each tensor [M, d, d]. */
    public record Frames(Tensor g, Tensor gDot, Tensor gInv) {
        public Frame select(int i) { return new Frame(g.select(0, i), gDot.select(0, i), gInv.select(0, i)); }
    }
}
