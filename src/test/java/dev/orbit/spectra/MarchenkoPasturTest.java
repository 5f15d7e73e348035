package dev.orbit.spectra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** MP fits on Gaussian random matrices (σ ≈ 1, no spikes) and with a planted rank-one spike. */
class MarchenkoPasturTest {
    static double[] gaussian(int rows, int cols, double std, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] w = new double[rows * cols];
        for (int i = 0; i < w.length; i++) w[i] = std * r.nextGaussian();
        return w;
    }

    @Test
    void densityIntegratesToOne() {
        for (double q : new double[] {1.5, 2, 4}) {
            double lo = MarchenkoPastur.lambdaMinus(q, 1.3), hi = MarchenkoPastur.lambdaPlus(q, 1.3);
            int n = 200_000;
            double s = 0, mean = 0;
            for (int i = 0; i < n; i++) { // substitution x = lo + (hi−lo)·sin²(θ) removes the edge singularities
                double th = (i + 0.5) / n * Math.PI / 2;
                double x = lo + (hi - lo) * Math.sin(th) * Math.sin(th);
                double w = (hi - lo) * 2 * Math.sin(th) * Math.cos(th) * (Math.PI / 2 / n);
                s += MarchenkoPastur.density(x, q, 1.3) * w;
                mean += x * MarchenkoPastur.density(x, q, 1.3) * w;
            }
            assertEquals(1, s, 1e-6, "Q = " + q);
            assertEquals(1.3 * 1.3, mean, 1e-6, "the mean eigenvalue is σ²");
        }
    }

    @Test
    void gaussianMatrixFitsSigmaOneWithoutSpikes() {
        for (int[] dims : new int[][] {{1000, 500}, {1200, 300}, {400, 400}}) {
            for (long seed = 1; seed <= 2; seed++) {
                // any entry scale: the fit works on the ESD rescaled to mean 1
                double[] w = gaussian(dims[0], dims[1], 0.037, seed);
                double[] ev = Eigenvalues.of(w, dims[0], dims[1], Eigenvalues.Method.GRAM);
                var fit = MarchenkoPastur.fit(ev, (double) dims[0] / dims[1], dims[1]);
                assertEquals(1.0, fit.sigma(), 0.1, "σ for " + dims[0] + "×" + dims[1] + ": " + fit);
                assertEquals(0, fit.spikes(), fit.toString());
                assertEquals(dims[0] == dims[1], fit.quarterCircle());
                // the raw bulk edge is near the largest eigenvalue (no outliers)
                assertEquals(ev[ev.length - 1], fit.bulkMax(), 0.15 * fit.bulkMax());
            }
        }
    }

    @Test
    void plantedSpikeAboveTheEdgeIsCounted() {
        int n = 1000, m = 500;
        double[] w = gaussian(n, m, 1, 3);
        // W + θ·√N·u·vᵀ with unit u, v: WᵀW/N gets an outlier near (1 + θ²)(1 + θ²/Q)/θ² ≈ 10.6 for θ = 3, edge 2.9
        SplittableRandom r = new SplittableRandom(4);
        double[] u = unit(r, n), v = unit(r, m);
        double theta = 3 * Math.sqrt(n);
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) w[i * m + j] += theta * u[i] * v[j];
        double[] ev = Eigenvalues.of(w, n, m, Eigenvalues.Method.GRAM);
        var fit = MarchenkoPastur.fit(ev, 2.0, m);
        assertEquals(1, fit.spikes(), fit.toString());
        assertTrue(ev[ev.length - 1] > 3 * fit.bulkMax() && ev[ev.length - 2] < fit.bulkMax() * 1.05, fit.toString());
        assertEquals(1.0, fit.sigma(), 0.1, fit.toString());
    }

    static double[] unit(SplittableRandom r, int n) {
        double[] u = new double[n];
        double s = 0;
        for (int i = 0; i < n; i++) {
            u[i] = r.nextGaussian();
            s += u[i] * u[i];
        }
        for (int i = 0; i < n; i++) u[i] /= Math.sqrt(s);
        return u;
    }

    @Test
    void rawDensityIsTheRescaledDensityInRawUnits() {
        var fit = new MarchenkoPastur(2, 1.1, 0.01, 0, 0, 0, 0, false);
        // ρ_raw(λ) = scale·ρ(λ·scale): the same mass over [λ₋, λ₊]/scale
        double lo = MarchenkoPastur.lambdaMinus(2, 1.1) / 0.01, hi = MarchenkoPastur.lambdaPlus(2, 1.1) / 0.01;
        double s = 0;
        int n = 400_000;
        for (int i = 0; i < n; i++) s += fit.rawDensity(lo + (hi - lo) * (i + 0.5) / n) * (hi - lo) / n;
        assertEquals(1, s, 2e-3);
        var qc = new MarchenkoPastur(1, 0.9, 0.5, 0, 0, 0, 0, true);
        s = 0;
        hi = 4 * 0.81 / 0.5;
        for (int i = 0; i < n; i++) { // x = hi·t², dx = 2·hi·t dt removes the 1/√x singularity at 0
            double t = (i + 0.5) / n;
            s += qc.rawDensity(hi * t * t) * 2 * hi * t / n;
        }
        assertEquals(1, s, 1e-4);
    }
}
