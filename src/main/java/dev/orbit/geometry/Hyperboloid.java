package dev.orbit.geometry;

/**
 * The hyperboloid model {X ∈ R^{n+1} : −X₀² + X₁² + … + Xₙ² = −1, X₀ > 0}; its isometries are the linear maps of
 * O⁺(n,1) (LᵀJL = J with J = diag(−1, 1, …, 1), L₀₀ > 0). Conversions from and to the upper half-space:
 * X₀ = (1 + |y|²)/(2yₙ), Xᵢ = yᵢ/yₙ (i < n), Xₙ = (1 − |y|²)/(2yₙ); back, yₙ = 1/(X₀ + Xₙ), yᵢ = Xᵢ·yₙ.
 */
public final class Hyperboloid {
    private Hyperboloid() {}

    public static double[] fromHalfSpace(double[] y) {
        int n = y.length;
        double h = y[n - 1];
        double r2 = 0;
        for (double v : y) r2 += v * v;
        double[] x = new double[n + 1];
        x[0] = (1 + r2) / (2 * h);
        for (int i = 0; i < n - 1; i++) x[i + 1] = y[i] / h;
        x[n] = (1 - r2) / (2 * h);
        return x;
    }

    public static HnPoint toHalfSpace(double[] x) {
        int n = x.length - 1;
        double h = 1 / (x[0] + x[n]);
        double[] y = new double[n];
        for (int i = 0; i < n - 1; i++) y[i] = x[i + 1] * h;
        y[n - 1] = h;
        return new HnPoint(y);
    }

    /** The Minkowski form ⟨X, Y⟩ = −X₀Y₀ + ΣXᵢYᵢ. */
    public static double minkowski(double[] x, double[] y) {
        double s = -x[0] * y[0];
        for (int i = 1; i < x.length; i++) s += x[i] * y[i];
        return s;
    }

    /** d = arcosh(−⟨X, Y⟩): fine for well separated points, loses digits for nearby ones (compare HnPoint.distance). */
    public static double distance(double[] x, double[] y) {
        return HyperbolicMath.acosh(Math.max(1, -minkowski(x, y)));
    }

    public static double[] apply(double[][] lorentz, double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double s = 0;
            for (int j = 0; j < x.length; j++) s += lorentz[i][j] * x[j];
            y[i] = s;
        }
        return y;
    }

    /** max |LᵀJL − J|: 0 for an exact element of O(n,1). */
    public static double lorentzDefect(double[][] l) {
        int m = l.length;
        double worst = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                double s = -l[0][i] * l[0][j];
                for (int k = 1; k < m; k++) s += l[k][i] * l[k][j];
                double want = i == j ? (i == 0 ? -1 : 1) : 0;
                worst = Math.max(worst, Math.abs(s - want));
            }
        }
        return worst;
    }

    /** L⁻¹ = J·Lᵀ·J for L ∈ O(n,1). */
    public static double[][] inverse(double[][] l) {
        int m = l.length;
        double[][] r = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) r[i][j] = ((i == 0) == (j == 0) ? 1 : -1) * l[j][i];
        }
        return r;
    }
}
