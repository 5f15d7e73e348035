package dev.orbit.numeric;

import java.util.SplittableRandom;

/**
 * Small dense float64 matrices (row-major {@code double[rows][cols]}) for the matrix groups acting inside
 * attention and on the residual stream, the Lorentz frames of Hⁿ and the ODE's gauge frames: products,
 * inverses, exponentials, random orthogonal and well-conditioned matrices, singular values. Sizes are head and
 * model widths (tens to a few thousand) or smaller; a libtorch call would cost more than the arithmetic.
 */
public final class Matrices {
    private Matrices() {}

    public static double[][] identity(int n) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) m[i][i] = 1;
        return m;
    }

    public static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        int k = b.length;
        int m = b[0].length;
        if (a[0].length != k) throw new IllegalArgumentException("shapes do not fit: " + n + "x" + a[0].length + " · " + k + "x" + m);
        double[][] c = new double[n][m];
        for (int i = 0; i < n; i++) {
            double[] ci = c[i];
            for (int p = 0; p < k; p++) {
                double aip = a[i][p];
                if (aip == 0) continue;
                double[] bp = b[p];
                for (int j = 0; j < m; j++) ci[j] += aip * bp[j];
            }
        }
        return c;
    }

    public static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a[0].length; j++) t[j][i] = a[i][j];
        return t;
    }

    /** The rows one after the other. */
    public static double[] flatten(double[][] m) {
        int n = m.length;
        int k = m[0].length;
        double[] v = new double[n * k];
        for (int i = 0; i < n; i++) System.arraycopy(m[i], 0, v, i * k, k);
        return v;
    }

    /**
     * exp(A) by scaling and squaring: A/2^s with ‖A/2^s‖₁ ≤ 1/2, a Taylor series to 24 terms (truncation below
     * 2^−24/24!, far under double rounding), then s squarings.
     */
    public static double[][] exp(double[][] a) {
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

    /** The inverse by Gauss–Jordan elimination with partial pivoting; throws if the matrix is singular. */
    public static double[][] inverse(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) m[i] = a[i].clone();
        double[][] inv = identity(n);
        double scale = 0;
        for (double[] row : a) for (double v : row) scale = Math.max(scale, Math.abs(v));
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
            if (!(Math.abs(m[pivot][col]) > 1e-300 + scale * 1e-14)) throw new IllegalArgumentException("matrix is singular");
            double[] t = m[col]; m[col] = m[pivot]; m[pivot] = t;
            t = inv[col]; inv[col] = inv[pivot]; inv[pivot] = t;
            double d = m[col][col];
            for (int j = 0; j < n; j++) {
                m[col][j] /= d;
                inv[col][j] /= d;
            }
            for (int r = 0; r < n; r++) {
                if (r == col || m[r][col] == 0) continue;
                double f = m[r][col];
                for (int j = 0; j < n; j++) {
                    m[r][j] -= f * m[col][j];
                    inv[r][j] -= f * inv[col][j];
                }
            }
        }
        return inv;
    }

    /** A Haar-distributed orthogonal matrix: Q of the QR factorisation of a Gaussian matrix, signs fixed by R's diagonal. */
    public static double[][] haarOrthogonal(int n, java.util.random.RandomGenerator rng) {
        double[][] cols = new double[n][n];
        for (double[] c : cols) for (int i = 0; i < n; i++) c[i] = gaussian(rng);
        // modified Gram–Schmidt twice ("twice is enough") on the columns; positive R diagonal = Haar
        for (int j = 0; j < n; j++) {
            for (int pass = 0; pass < 2; pass++) {
                for (int k = 0; k < j; k++) {
                    double dot = 0;
                    for (int i = 0; i < n; i++) dot += cols[k][i] * cols[j][i];
                    for (int i = 0; i < n; i++) cols[j][i] -= dot * cols[k][i];
                }
            }
            double norm = 0;
            for (int i = 0; i < n; i++) norm += cols[j][i] * cols[j][i];
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) cols[j][i] /= norm;
        }
        return transpose(cols);
    }

    /**
     * A randomised Hadamard matrix diag(s)·H/√n with random signs s (Sylvester construction; n must be a power
     * of two). Orthogonal, and spreads every coordinate over all n directions with equal weight. The signs sit on the
     * input side: a row vector x maps to (x∘s)·H/√n, so each seed mixes the coordinates differently (with H·diag(s),
     * |x·Q| would be the same for every seed and an outlier search over seeds would compare one candidate).
     */
    public static double[][] randomHadamard(int n, SplittableRandom rng) {
        if (n < 1 || (n & (n - 1)) != 0) throw new IllegalArgumentException("a Hadamard matrix needs a power-of-two size, got " + n);
        double[][] h = new double[n][n];
        double norm = 1 / Math.sqrt(n);
        double[] sign = new double[n];
        for (int j = 0; j < n; j++) sign[j] = rng.nextBoolean() ? 1 : -1;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) h[i][j] = (Integer.bitCount(i & j) % 2 == 0 ? norm : -norm) * sign[i];
        return h;
    }

    /**
     * A random invertible matrix with condition number exactly {@code kappa}: U·diag(σ)·Vᵀ with U, V Haar and
     * log σ uniform in [−½ log κ, ½ log κ], the two extremes always present.
     */
    public static double[][] wellConditioned(int n, double kappa, SplittableRandom rng) {
        if (!(kappa >= 1) || !Double.isFinite(kappa)) throw new IllegalArgumentException("the condition-number bound must be ≥ 1, got " + kappa);
        double[][] u = haarOrthogonal(n, rng);
        double[][] v = haarOrthogonal(n, rng);
        double half = 0.5 * Math.log(kappa);
        double[][] us = new double[n][n];
        for (int j = 0; j < n; j++) {
            double s = n == 1 || half == 0 ? 1 : j == 0 ? Math.exp(half) : j == 1 ? Math.exp(-half) : Math.exp(rng.nextDouble(-half, half));
            for (int i = 0; i < n; i++) us[i][j] = u[i][j] * s;
        }
        return multiply(us, transpose(v));
    }

    /** Eigenvalues (descending) and eigenvectors (columns of {@code vectors}) of a symmetric matrix, by cyclic Jacobi. */
    public record Eigen(double[] values, double[][] vectors) {}

    public static Eigen symmetricEigen(double[][] sym) {
        int n = sym.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) a[i] = sym[i].clone();
        double[][] v = identity(n);
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            double diag = 0;
            for (int i = 0; i < n; i++) {
                diag += a[i][i] * a[i][i];
                for (int j = i + 1; j < n; j++) off += a[i][j] * a[i][j];
            }
            if (off <= 1e-30 * Math.max(diag, Double.MIN_NORMAL)) break;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (a[p][q] == 0) continue;
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) {
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < n; k++) {
                        double vkp = v[k][p];
                        double vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        double[][] fa = a;
        java.util.Arrays.sort(order, (x, y) -> Double.compare(fa[y][y], fa[x][x]));
        double[] values = new double[n];
        double[][] vectors = new double[n][n];
        for (int k = 0; k < n; k++) {
            values[k] = a[order[k]][order[k]];
            for (int i = 0; i < n; i++) vectors[i][k] = v[i][order[k]];
        }
        return new Eigen(values, vectors);
    }

    /** Singular values, largest first: square roots of the eigenvalues of AᵀA. */
    public static double[] singularValues(double[][] a) {
        double[] ev = symmetricEigen(multiply(transpose(a), a)).values();
        double[] sv = new double[ev.length];
        for (int i = 0; i < ev.length; i++) sv[i] = Math.sqrt(Math.max(0, ev[i]));
        return sv;
    }

    /** σ_max / σ_min. */
    public static double conditionNumber(double[][] a) {
        double[] s = singularValues(a);
        return s[0] / s[s.length - 1];
    }

    /** max |QᵀQ − I|: zero for an orthogonal matrix. */
    public static double orthogonalityError(double[][] q) {
        double[][] g = multiply(transpose(q), q);
        double worst = 0;
        for (int i = 0; i < g.length; i++) for (int j = 0; j < g.length; j++) worst = Math.max(worst, Math.abs(g[i][j] - (i == j ? 1 : 0)));
        return worst;
    }

    public static boolean isSquare(double[][] a, int n) {
        if (a.length != n) return false;
        for (double[] row : a) if (row.length != n) return false;
        return true;
    }

    static double gaussian(java.util.random.RandomGenerator rng) {
        // Box–Muller, so every generator gives the same stream for a seed whatever its own nextGaussian does
        double u = rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }
}
