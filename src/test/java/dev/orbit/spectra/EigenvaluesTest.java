package dev.orbit.spectra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import dev.orbit.tensor.NdArray;

/** The Gram route (symmetric rank-k update, then eigvalsh) against the SVD route, on tall, wide and stacked matrices. */
class EigenvaluesTest {
    private static double[] gaussian(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = r.nextGaussian();
        return v;
    }

    private static void agree(double[] gram, double[] svd) {
        assertEquals(svd.length, gram.length);
        double top = svd[svd.length - 1];
        for (int i = 0; i < svd.length; i++) {
            // the Gram route carries an absolute error of order ε·λ_max (class comment)
            assertEquals(svd[i], gram[i], 1e-12 * top, "eigenvalue " + i);
        }
    }

    @Test
    void tallAndWideMatricesGiveTheSpectrumOfTheSmallerGram() {
        for (int[] shape : new int[][] {{70, 30}, {30, 70}, {41, 41}}) {
            double[] w = gaussian(shape[0] * shape[1], shape[0]);
            double[] gram = Eigenvalues.of(w, shape[0], shape[1], Eigenvalues.Method.GRAM);
            assertEquals(Math.min(shape[0], shape[1]), gram.length);
            agree(gram, Eigenvalues.of(w, shape[0], shape[1], Eigenvalues.Method.SVD));
        }
    }

    @Test
    void everySliceOfAStackIsPooled() {
        double[] w = gaussian(3 * 12 * 20, 7);
        var stack = NdArray.ofDoubles(w, 3, 12, 20);
        double[] gram = Eigenvalues.of(stack.torchView(), Eigenvalues.Method.GRAM);
        assertEquals(36, gram.length);
        agree(gram, Eigenvalues.of(stack.torchView(), Eigenvalues.Method.SVD));
    }

    @Test
    void aScaledOrthogonalMatrixHasTheSquaredScalesAsEigenvalues() {
        // W = diag(1, 2, 3) padded with zero rows: WᵀW = diag(1, 4, 9)
        double[] w = {1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0};
        double[] gram = Eigenvalues.of(w, 4, 3, Eigenvalues.Method.GRAM);
        assertEquals(1, gram[0], 1e-15);
        assertEquals(4, gram[1], 1e-15);
        assertEquals(9, gram[2], 1e-15);
    }
}
