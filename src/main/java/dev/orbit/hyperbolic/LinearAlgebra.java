package dev.orbit.hyperbolic;

import java.util.random.RandomGenerator;

/** The few small dense-matrix routines the geometry needs (matrices of size n+1 for Hⁿ). */
final class LinearAlgebra {
    private LinearAlgebra() {}

    /** Gauss–Jordan elimination with partial pivoting. */
    static double[][] inverse(double[][] m) {
        int n = m.length;
        double[][] a = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(m[i], 0, a[i], 0, n);
            a[i][n + i] = 1;
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
            if (a[pivot][col] == 0) throw new ArithmeticException("singular matrix");
            double[] tmp = a[col];
            a[col] = a[pivot];
            a[pivot] = tmp;
            double p = a[col][col];
            for (int j = 0; j < 2 * n; j++) a[col][j] /= p;
            for (int r = 0; r < n; r++) {
                if (r == col || a[r][col] == 0) continue;
                double f = a[r][col];
                for (int j = 0; j < 2 * n; j++) a[r][j] -= f * a[col][j];
            }
        }
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) System.arraycopy(a[i], n, inv[i], 0, n);
        return inv;
    }

    /** A Haar-random orthogonal matrix: Gram–Schmidt on Gaussian columns (sign fixed by construction). */
    static double[][] randomOrthogonal(int m, RandomGenerator rng) {
        double[][] q = new double[m][m]; // q[j] is column j
        for (int j = 0; j < m; j++) {
            double[] v = new double[m];
            for (int i = 0; i < m; i++) v[i] = rng.nextGaussian();
            for (int k = 0; k < j; k++) {
                double dot = 0;
                for (int i = 0; i < m; i++) dot += v[i] * q[k][i];
                for (int i = 0; i < m; i++) v[i] -= dot * q[k][i];
            }
            double norm = 0;
            for (double x : v) norm += x * x;
            norm = Math.sqrt(norm);
            for (int i = 0; i < m; i++) q[j][i] = v[i] / norm;
        }
        double[][] r = new double[m][m];
        for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) r[i][j] = q[j][i];
        return r;
    }
}
