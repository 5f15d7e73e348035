package dev.orbit.spectra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import dev.orbit.tensor.NdArray;

/** Per-layer metrics against closed forms; correlation traps; the precision trade-off of Gram vs SVD. */
class LayerSpectrumTest {
    static WeightMatrix dense(int rows, int cols) {
        return new WeightMatrix("w", "Gemm", "w", new long[] {rows, cols}, 1, rows, cols, rows, cols,
                WeightMatrix.Slicing.MATRIX, "test");
    }

    @Test
    void normsRankAndEntropyMatchClosedFormsOnAKnownSpectrum() {
        // W = [diag(s); 0]: λ = s², exactly
        int n = 30, m = 20;
        double[] s = new double[m];
        double[] w = new double[n * m];
        for (int i = 0; i < m; i++) {
            s[i] = 0.5 + 0.25 * i;
            w[i * m + i] = s[i];
        }
        var l = LayerSpectrum.of(dense(n, m), NdArray.ofDoubles(w, n, m), EsdOptions.DEFAULT);
        double sum = 0, max = 0, h = 0, alphaSum = 0;
        for (double v : s) sum += v * v;
        for (double v : s) max = Math.max(max, v * v);
        for (double v : s) h -= v * v / sum * Math.log(v * v / sum);
        double alpha = l.powerLaw().alpha();
        for (double v : s) alphaSum += Math.pow(v * v, alpha);
        assertEquals(Math.log10(sum), l.logNorm(), 1e-13);
        assertEquals(Math.log10(max), l.logSpectralNorm(), 1e-13);
        assertEquals(sum / max, l.stableRank(), 1e-12);
        assertEquals(h / Math.log(m), l.entropy(), 1e-12);
        assertEquals(m, l.matrixRank());
        assertEquals(Math.log10(alphaSum), l.logAlphaNorm(), 1e-12);
        assertEquals(alpha * Math.log10(max), l.alphaWeighted(), 1e-12);
        assertEquals(1.5, l.q());
    }

    @Test
    void flatSpectrumHasEntropyOneAndRankDeficiencyIsSeen() {
        int n = 40, m = 20;
        double[] w = new double[n * m];
        for (int i = 0; i < m; i++) w[i * m + i] = 2;
        var flat = LayerSpectrum.of(dense(n, m), NdArray.ofDoubles(w, n, m), EsdOptions.DEFAULT);
        assertEquals(1.0, flat.entropy(), 1e-12);
        assertEquals(m, flat.stableRank(), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, flat.powerLaw().alpha());
        assertTrue(Double.isNaN(flat.alphaWeighted()) && Double.isNaN(flat.logAlphaNorm()));
        assertTrue(flat.warnings().getFirst().contains("no power-law tail"), flat.warnings().toString());
        for (int i = 0; i < 5; i++) w[i * m + i] = 0; // rank 15
        for (var method : Eigenvalues.Method.values()) {
            var l = LayerSpectrum.of(dense(n, m), NdArray.ofDoubles(w, n, m), new EsdOptions(method, 0));
            assertEquals(15, l.matrixRank(), method.name());
            assertEquals(1.0, l.entropy(), 1e-12, "15 equal eigenvalues out of rank 15");
        }
    }

    @Test
    void largeEntriesMakeCorrelationTrapsAndAPlantedSpikeDoesNot() {
        int n = 500, m = 250;
        double[] g = MarchenkoPasturTest.gaussian(n, m, 0.05, 21);
        var plain = LayerSpectrum.of(dense(n, m), NdArray.ofDoubles(g, n, m), EsdOptions.DEFAULT);
        assertEquals(0, plain.randomized().traps(), plain.randomized().toString());
        assertEquals(0, plain.mp().spikes(), plain.mp().toString());

        // three entries 60× the typical size: whatever the shuffle does with them, they stay outliers
        double[] traps = g.clone();
        traps[7 * m + 3] = 3;
        traps[100 * m + 50] = -3;
        traps[333 * m + 200] = 3;
        var t = LayerSpectrum.of(dense(n, m), NdArray.ofDoubles(traps, n, m), EsdOptions.DEFAULT);
        assertEquals(3, t.randomized().traps(), t.randomized().toString());
        assertTrue(t.warnings().stream().anyMatch(s -> s.contains("3 correlation traps")), t.warnings().toString());

        // a rank-one signal spread over all entries is a spike of the real ESD that shuffling destroys
        SplittableRandom r = new SplittableRandom(22);
        double[] u = MarchenkoPasturTest.unit(r, n), v = MarchenkoPasturTest.unit(r, m);
        double[] spiked = g.clone();
        double theta = 3 * 0.05 * Math.sqrt(n);
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) spiked[i * m + j] += theta * u[i] * v[j];
        var sp = LayerSpectrum.of(dense(n, m), NdArray.ofDoubles(spiked, n, m), EsdOptions.DEFAULT);
        assertEquals(1, sp.mp().spikes(), sp.mp().toString());
        assertEquals(0, sp.randomized().traps(), sp.randomized().toString());
        assertTrue(sp.randomized().softRank() < 0.5, "the shuffled λ_max falls back to the bulk edge");
    }

    @Test
    void shuffleDependsOnlyOnTheEntriesNotTheirPlaces() {
        int n = 60, m = 30;
        double[] g = MarchenkoPasturTest.gaussian(n, m, 1, 5);
        double[] permuted = new double[g.length]; // rows reversed, columns rotated
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) permuted[(n - 1 - i) * m + (j + 7) % m] = g[i * m + j];
        var a = LayerSpectrum.of(dense(n, m), NdArray.ofDoubles(g, n, m), EsdOptions.DEFAULT);
        var b = LayerSpectrum.of(dense(n, m), NdArray.ofDoubles(permuted, n, m), EsdOptions.DEFAULT);
        assertEquals(a.randomized().maxEigenvalue(), b.randomized().maxEigenvalue(), 0);
        assertEquals(5, a.randomized().replicas(), "fewer than 100 eigenvalues: five shuffles pooled");
        for (var e : a.metrics().entrySet()) assertEquals(e.getValue(), b.metrics().get(e.getKey()), 1e-9 * Math.max(1, Math.abs(e.getValue())), e.getKey());
    }

    @Test
    void gramSquaresTheConditionNumberAndSvdDoesNot() {
        // W = Q₁·diag(s)·Q₂ with singular values from 1 down to 1e-6 (κ = 1e6) and Householder products Q
        int n = 120;
        double[] s = new double[n];
        for (int i = 0; i < n; i++) s[i] = Math.pow(10, -6.0 * i / (n - 1));
        double[] w = orthogonalTimesDiagonalTimesOrthogonal(s, 9);
        double[] gram = Eigenvalues.of(w, n, n, Eigenvalues.Method.GRAM);
        double[] svd = Eigenvalues.of(w, n, n, Eigenvalues.Method.SVD);
        double[] exact = new double[n];
        for (int i = 0; i < n; i++) exact[i] = s[n - 1 - i] * s[n - 1 - i];
        double worstGram = 0, worstSvd = 0, topGram = 0;
        for (int i = 0; i < n; i++) {
            worstGram = Math.max(worstGram, Math.abs(gram[i] - exact[i]) / exact[i]);
            worstSvd = Math.max(worstSvd, Math.abs(svd[i] - exact[i]) / exact[i]);
            if (exact[i] > 1e-4) topGram = Math.max(topGram, Math.abs(gram[i] - exact[i]) / exact[i]);
        }
        // SVD: relative error ≈ ε·κ on λ = s²; Gram: ≈ ε·κ² — far worse at λ = 1e-12, still fine above 1e-4·λ_max
        assertTrue(worstSvd < 1e-8, "svd " + worstSvd);
        assertTrue(worstGram > 100 * worstSvd, "gram " + worstGram + " vs svd " + worstSvd);
        assertTrue(topGram < 1e-10, "gram on the top of the spectrum " + topGram);
    }

    static double[] orthogonalTimesDiagonalTimesOrthogonal(double[] s, long seed) {
        int n = s.length;
        SplittableRandom r = new SplittableRandom(seed);
        double[] w = new double[n * n];
        for (int i = 0; i < n; i++) w[i * n + i] = s[i];
        for (int k = 0; k < 6; k++) { // alternate left and right Householder reflections I − 2vvᵀ
            double[] v = MarchenkoPasturTest.unit(r, n);
            boolean left = k % 2 == 0;
            for (int a = 0; a < n; a++) {
                double dot = 0;
                for (int b = 0; b < n; b++) dot += v[b] * (left ? w[b * n + a] : w[a * n + b]);
                for (int b = 0; b < n; b++) {
                    if (left) w[b * n + a] -= 2 * v[b] * dot;
                    else w[a * n + b] -= 2 * v[b] * dot;
                }
            }
        }
        return w;
    }
}
