package dev.orbit.numeric;

import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * Gauss–Hermite quadrature for the standard normal measure: E[f(u)] ≈ Σ wᵢ f(xᵢ), u ~ N(0, 1), exact for
 * polynomials of degree < 2n. Nodes are the eigenvalues of the Jacobi matrix of the orthonormal Hermite
 * polynomials (off-diagonal √k), found by Sturm bisection and polished by Newton; weights are Christoffel
 * numbers 1/Σₖ pₖ(xᵢ)². Pure float64 Java: no overflow, because the orthonormal recurrence stays bounded.
 */
public record GaussHermite(double[] nodes, double[] weights) {
    public static GaussHermite of(int n) {
        if (n < 1 || n > 400) throw new IllegalArgumentException("Gauss–Hermite order must be in 1..400, got " + n);
        double[] x = new double[n];
        double[] w = new double[n];
        double bound = 2 * Math.sqrt(n) + 1; // Gershgorin: |x| ≤ 2·√(n−1)
        for (int i = 0; i < n; i++) {
            double lo = -bound, hi = bound; // the i-th smallest eigenvalue: count(x) > i ⇔ x above it
            for (int it = 0; it < 200 && hi - lo > 1e-15 * Math.max(1, Math.abs(lo)); it++) {
                double mid = 0.5 * (lo + hi);
                if (eigenvaluesBelow(mid, n) > i) hi = mid; else lo = mid;
            }
            double r = 0.5 * (lo + hi);
            for (int it = 0; it < 3; it++) { // Newton on pₙ with pₙ' = √n·pₙ₋₁
                double[] p = orthonormal(r, n);
                double d = Math.sqrt(n) * p[n - 1];
                if (d == 0) break;
                r -= p[n] / d;
            }
            double[] p = orthonormal(r, n);
            double s = 0;
            for (int k = 0; k < n; k++) s += p[k] * p[k];
            x[i] = r;
            w[i] = 1 / s;
        }
        return new GaussHermite(x, w);
    }

    /** E[f(u)], u ~ N(0, 1). */
    public double expect(DoubleUnaryOperator f) {
        double s = 0;
        for (int i = 0; i < nodes.length; i++) s += weights[i] * f.applyAsDouble(nodes[i]);
        return s;
    }

    /** E[f(u, v)] with (u, v) centred Gaussian of covariance [[q11, q12], [q12, q22]] (tensor-product rule). */
    public double expect2(double q11, double q12, double q22, DoubleBinaryOperator f) {
        // u = √q11·a, v = ρ√q22·a + √(1−ρ²)·√q22·b with a, b independent standard normals
        double su = Math.sqrt(Math.max(q11, 0)), sv = Math.sqrt(Math.max(q22, 0));
        double rho = su * sv == 0 ? 0 : Math.max(-1, Math.min(1, q12 / (su * sv)));
        double perp = Math.sqrt(Math.max(0, 1 - rho * rho));
        double s = 0;
        for (int i = 0; i < nodes.length; i++) {
            double u = su * nodes[i], vPar = rho * sv * nodes[i];
            double inner = 0;
            for (int j = 0; j < nodes.length; j++) inner += weights[j] * f.applyAsDouble(u, vPar + perp * sv * nodes[j]);
            s += weights[i] * inner;
        }
        return s;
    }

    /** p₀..pₙ at x, orthonormal for N(0,1): x·pₖ = √(k+1)·pₖ₊₁ + √k·pₖ₋₁. */
    private static double[] orthonormal(double x, int n) {
        double[] p = new double[n + 1];
        p[0] = 1;
        if (n >= 1) p[1] = x;
        for (int k = 1; k < n; k++) p[k + 1] = (x * p[k] - Math.sqrt(k) * p[k - 1]) / Math.sqrt(k + 1);
        return p;
    }

    /** Sturm count: eigenvalues of the Jacobi matrix (zero diagonal, off-diagonal √k) below x. */
    private static int eigenvaluesBelow(double x, int n) {
        int count = 0;
        double d = -x;
        if (d < 0) count++;
        for (int k = 1; k < n; k++) {
            double denom = d == 0 ? 1e-300 : d;
            d = -x - k / denom;
            if (d < 0) count++;
        }
        return count;
    }
}
