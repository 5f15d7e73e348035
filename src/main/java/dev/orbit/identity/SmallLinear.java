package dev.orbit.identity;

import dev.orbit.numeric.Matrices;

/** Small dense float64 linear algebra the alignment needs: least squares, orthonormal bases, the polar factor. */
final class SmallLinear {
    private SmallLinear() {}

    /** The d × d matrix X minimising ‖L·X − R‖ (normal equations; L has full column rank, rows ≥ d). */
    static double[][] leastSquares(double[][] l, double[][] r) {
        int d = l[0].length;
        double[][] g = new double[d][d];
        double[][] b = new double[d][r[0].length];
        for (int row = 0; row < l.length; row++) {
            double[] x = l[row];
            double[] y = r[row];
            for (int i = 0; i < d; i++) {
                if (x[i] == 0) continue;
                for (int j = 0; j < d; j++) g[i][j] += x[i] * x[j];
                for (int j = 0; j < y.length; j++) b[i][j] += x[i] * y[j];
            }
        }
        return Matrices.multiply(Matrices.inverse(g), b);
    }

    /** An orthonormal basis of the column space of m (modified Gram–Schmidt, twice; columns that vanish dropped). */
    static double[][] orthonormalColumns(double[][] m) {
        int rows = m.length;
        int cols = m[0].length;
        double[][] q = new double[cols][];
        int k = 0;
        double scale = 0;
        for (double[] r : m) for (double v : r) scale = Math.max(scale, Math.abs(v));
        for (int c = 0; c < cols; c++) {
            double[] v = new double[rows];
            for (int i = 0; i < rows; i++) v[i] = m[i][c];
            for (int pass = 0; pass < 2; pass++) {
                for (int j = 0; j < k; j++) {
                    double s = Tensor64.dot(q[j], v);
                    for (int i = 0; i < rows; i++) v[i] -= s * q[j][i];
                }
            }
            double n = Math.sqrt(Tensor64.dot(v, v));
            if (n <= 1e-10 * scale * Math.sqrt(rows)) continue;
            for (int i = 0; i < rows; i++) v[i] /= n;
            q[k++] = v;
        }
        return java.util.Arrays.copyOf(q, k);
    }

    /** ‖X − Q·Qᵀ·X‖²_F / ‖X‖²_F: the part of X's columns outside the span of the orthonormal vectors q. */
    static double outsideSpan(double[][] q, double[][] x) {
        int cols = x[0].length;
        double total = 0;
        double outside = 0;
        double[] v = new double[x.length];
        for (int c = 0; c < cols; c++) {
            for (int i = 0; i < x.length; i++) v[i] = x[i][c];
            double n = Tensor64.dot(v, v);
            total += n;
            double inside = 0;
            for (double[] b : q) {
                double s = Tensor64.dot(b, v);
                inside += s * s;
            }
            outside += Math.max(0, n - inside);
        }
        return total == 0 ? 0 : outside / total;
    }

    /** The orthogonal polar factor of a square non-singular matrix (Newton's iteration X ← (X + X⁻ᵀ)/2). */
    static double[][] polar(double[][] m) {
        int n = m.length;
        double norm = 0;
        for (double[] r : m) for (double v : r) norm += v * v;
        norm = Math.sqrt(norm / n);
        if (norm == 0) return Matrices.identity(n);
        double[][] x = new double[n][n];
        // a rank-deficient m (too few settled rows) gets a tiny ridge: the result is exact on m's range, arbitrary but
        // orthogonal on the rest, which later passes refine
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) x[i][j] = m[i][j] / norm + (i == j ? 1e-9 : 0);
        for (int it = 0; it < 100; it++) {
            double[][] inv = Matrices.transpose(Matrices.inverse(x));
            double change = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double v = 0.5 * (x[i][j] + inv[i][j]);
                    change = Math.max(change, Math.abs(v - x[i][j]));
                    x[i][j] = v;
                }
            }
            if (change < 1e-15) break;
        }
        return x;
    }

    /** The nearest element of the rotary commutant: a·I + b·J averaged on every pair (i, i + d/2). */
    static double[][] rotaryProjection(double[][] m) {
        int d = m.length;
        int h = d / 2;
        double[][] out = new double[d][d];
        for (int i = 0; i < h; i++) {
            double a = 0.5 * (m[i][i] + m[i + h][i + h]);
            double b = 0.5 * (m[i][i + h] - m[i + h][i]);
            out[i][i] = a;
            out[i + h][i + h] = a;
            out[i][i + h] = b;
            out[i + h][i] = -b;
        }
        return out;
    }

    /** Gram matrix XᵀX of a tall matrix. */
    static double[][] gram(double[][] x) {
        int n = x[0].length;
        double[][] g = new double[n][n];
        for (double[] r : x) {
            for (int i = 0; i < n; i++) {
                if (r[i] == 0) continue;
                for (int j = 0; j < n; j++) g[i][j] += r[i] * r[j];
            }
        }
        return g;
    }

    /** Σ of cubes: an odd, scale-equivariant statistic whose sign fixes a vector's sign convention. */
    static double cubes(double[] x) {
        double s = 0;
        for (double v : x) s += v * v * v;
        return s;
    }
}
