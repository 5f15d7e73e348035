package dev.orbit.ode;

import java.util.List;
import java.util.SplittableRandom;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import dev.orbit.numeric.Matrices;
import dev.orbit.symmetry.GaugeElement;

/**
 * A spatial gauge G(t) = exp(g(t)) with g(t) = Σ_k C_k·sin(kπt/T), C_k ∈ ℝ^{d×d}: a smooth path in GL⁺(d) with
 * G(0) = G(T) = I. Ġ is exact, not a finite difference: for M = [[g, ġ], [0, g]], exp(M) = [[G, Ġ], [0, G]]
 * (the derivative of the matrix exponential, valid although g and ġ do not commute). The coefficients may be
 * a trainable leaf, so a gauge can be optimised by autograd (gauge fixing).
 */
public final class MatrixGauge {
    private final double endTime;
    private final Tensor coefficients;
    private double[] constants; // the coefficients as doubles, read once when they are not trainable

    public MatrixGauge(double endTime, Tensor coefficients) {
        this.endTime = endTime;
        this.coefficients = coefficients;
    }

    public double endTime() { return endTime; }

    /** C_k stacked: [K, d, d]. */
    public Tensor coefficients() { return coefficients; }

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

    /** The gauge of one factor of an element: exp(Σ_k C_k sin(kπt/T)) with constant coefficients. */
    public static MatrixGauge of(double endTime, double[][][] c) {
        int modes = c.length;
        int d = c[0].length;
        double[] flat = new double[modes * d * d];
        for (int k = 0; k < modes; k++) for (int i = 0; i < d; i++) System.arraycopy(c[k][i], 0, flat, (k * d + i) * d, d);
        return new MatrixGauge(endTime, Tensors.of(flat, modes, d, d));
    }

    /** This gauge as an Orbit element (one factor); {@code states}: the spaces of an unrolled model's x_1 … x_{N−1}, or none. */
    public GaugeElement element(List<Integer> states) {
        int d = dimension();
        double[] v = values();
        double[][][] c = new double[modes()][d][d];
        for (int k = 0; k < c.length; k++) for (int i = 0; i < d; i++) System.arraycopy(v, (k * d + i) * d, c[k][i], 0, d);
        return new GaugeElement(endTime, List.<double[][][]>of(c), states);
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

    /**
     * The frame at one time. With constant coefficients (solving) it is computed in plain doubles, a fraction of
     * the cost of libtorch calls on tiny matrices; trainable coefficients go through libtorch so autograd sees them.
     */
    public Frame at(double t) {
        if (coefficients.requires_grad()) return frames(new double[] {t}).select(0);
        int d = dimension();
        double[] c = values();
        double[][] g = new double[d][d];
        double[][] gDot = new double[d][d];
        for (int k = 1; k <= modes(); k++) {
            double w = k * Math.PI / endTime;
            double sin = Math.sin(w * t);
            double cos = w * Math.cos(w * t);
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    double ck = c[((k - 1) * d + i) * d + j];
                    g[i][j] += ck * sin;
                    gDot[i][j] += ck * cos;
                }
            }
        }
        double[][] block = new double[2 * d][2 * d];
        double[][] minus = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                block[i][j] = g[i][j];
                block[i][d + j] = gDot[i][j];
                block[d + i][d + j] = g[i][j];
                minus[i][j] = -g[i][j];
            }
        }
        double[][] e = Matrices.exp(block);
        double[] gv = new double[d * d];
        double[] dv = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                gv[i * d + j] = e[i][j];
                dv[i * d + j] = e[i][d + j];
            }
        }
        return new Frame(Tensors.of(gv, d, d), Tensors.of(dv, d, d), Tensors.of(Matrices.flatten(Matrices.exp(minus)), d, d));
    }

    private double[] values() {
        if (constants == null) constants = Tensors.values(coefficients);
        return constants;
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
