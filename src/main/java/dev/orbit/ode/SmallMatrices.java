package dev.orbit.ode;

/**
 * Dense n×n matrices as double[][] for the per-time gauge frames: a libtorch call costs far more than the
 * arithmetic for n ≤ 10, and solvers ask for a frame at every field evaluation.
 */
final class SmallMatrices {
    private SmallMatrices() {}

    static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        int m = b[0].length;
        int k = b.length;
        double[][] c = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < k; l++) {
                double v = a[i][l];
                if (v == 0) continue;
                for (int j = 0; j < m; j++) c[i][j] += v * b[l][j];
            }
        }
        return c;
    }

    /**
     * exp(A) by scaling and squaring: A/2^s with ‖A/2^s‖₁ ≤ 1/2, a Taylor series to 24 terms (truncation below
     * 2^−24/24!, far under double rounding), then s squarings.
     */
    static double[][] exp(double[][] a) {
        int n = a.length;
        double norm = 0;
        for (int j = 0; j < n; j++) {
            double col = 0;
            for (double[] row : a) col += Math.abs(row[j]);
            norm = Math.max(norm, col);
        }
        int s = norm <= 0.5 ? 0 : (int) Math.ceil(Math.log(norm / 0.5) / Math.log(2));
        double scale = Math.scalb(1.0, -s);
        double[][] x = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) x[i][j] = a[i][j] * scale;
        double[][] sum = identity(n);
        double[][] term = identity(n);
        for (int k = 1; k <= 24; k++) {
            term = multiply(term, x);
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) term[i][j] /= k;
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) sum[i][j] += term[i][j];
        }
        for (int i = 0; i < s; i++) sum = multiply(sum, sum);
        return sum;
    }

    static double[][] identity(int n) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) m[i][i] = 1;
        return m;
    }

    static double[] flatten(double[][] m) {
        int n = m.length;
        int k = m[0].length;
        double[] v = new double[n * k];
        for (int i = 0; i < n; i++) System.arraycopy(m[i], 0, v, i * k, k);
        return v;
    }
}
