package dev.orbit.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import dev.orbit.tensor.NdArray;

/** The matrix helpers against closed forms and against libtorch's float64 SVD (a second method). */
class MatricesTest {
    private static double maxAbsDiff(double[][] a, double[][] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a[0].length; j++) worst = Math.max(worst, Math.abs(a[i][j] - b[i][j]));
        return worst;
    }

    /** Singular values from libtorch's linalg_svdvals in float64. */
    private static double[] torchSingularValues(double[][] a) {
        int n = a.length;
        double[] flat = new double[n * n];
        for (int i = 0; i < n; i++) System.arraycopy(a[i], 0, flat, i * n, n);
        NdArray x = NdArray.ofDoubles(flat, n, n);
        try (PointerScope _ = new PointerScope()) {
            return NdArray.fromTorch(torch.linalg_svdvals(x.torchView())).toDoubleArray();
        }
    }

    @Test
    void inverseTimesMatrixIsIdentity() {
        double[][] a = Matrices.wellConditioned(12, 50, new SplittableRandom(1));
        assertTrue(maxAbsDiff(Matrices.multiply(a, Matrices.inverse(a)), Matrices.identity(12)) < 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Matrices.inverse(new double[][] {{1, 2}, {2, 4}}));
    }

    @Test
    void hadamardSeedsMixCoordinatesDifferently() {
        double[] x = {3, -1, 0.5, 2, 0, 1, -4, 0.25};
        double[][] a = Matrices.randomHadamard(8, new java.util.SplittableRandom(1));
        double[][] b = Matrices.randomHadamard(8, new java.util.SplittableRandom(2));
        double[] ya = new double[8], yb = new double[8];
        for (int j = 0; j < 8; j++) for (int i = 0; i < 8; i++) { ya[j] += x[i] * a[i][j]; yb[j] += x[i] * b[i][j]; }
        double maxA = 0, maxB = 0;
        for (int j = 0; j < 8; j++) { maxA = Math.max(maxA, Math.abs(ya[j])); maxB = Math.max(maxB, Math.abs(yb[j])); }
        // the largest |coordinate| after rotation is what the outlier objective compares; two seeds must differ
        assertNotEquals(maxA, maxB, 1e-12);
    }

    @Test
    void haarAndHadamardAreOrthogonal() {
        var rng = new SplittableRandom(3);
        assertTrue(Matrices.orthogonalityError(Matrices.haarOrthogonal(33, rng)) < 1e-13);
        double[][] h = Matrices.randomHadamard(32, rng);
        assertTrue(Matrices.orthogonalityError(h) < 1e-14);
        for (double[] row : h) for (double v : row) assertEquals(1 / Math.sqrt(32), Math.abs(v), 1e-15, "every entry ±1/√n");
        assertThrows(IllegalArgumentException.class, () -> Matrices.randomHadamard(24, rng));
    }

    @Test
    void haarRotationsAreUnbiased() {
        // E[Q] = 0 for Haar Q: the mean entry over many draws shrinks like 1/√draws
        var rng = new SplittableRandom(5);
        double sum = 0;
        int draws = 400;
        for (int k = 0; k < draws; k++) sum += Matrices.haarOrthogonal(4, rng)[0][0];
        assertTrue(Math.abs(sum / draws) < 4 * 0.5 / Math.sqrt(draws), "mean of Q[0][0] " + sum / draws);
    }

    @Test
    void wellConditionedMatricesHaveTheRequestedConditionNumber() {
        var rng = new SplittableRandom(7);
        for (double kappa : new double[] {1, 10, 1000}) {
            double[][] a = Matrices.wellConditioned(16, kappa, rng);
            double[] ours = Matrices.singularValues(a);
            double[] torchs = torchSingularValues(a);
            for (int i = 0; i < ours.length; i++) assertEquals(torchs[i], ours[i], 1e-9 * torchs[0], "singular value " + i);
            assertEquals(kappa, torchs[0] / torchs[torchs.length - 1], 1e-8 * kappa);
            assertEquals(kappa, Matrices.conditionNumber(a), 1e-8 * kappa);
        }
    }
}
