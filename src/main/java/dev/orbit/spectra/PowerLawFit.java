package dev.orbit.spectra;

import java.util.Arrays;

/**
 * Power-law tail of an ESD by the continuous Clauset–Shalizi–Newman scan: for every candidate x_min = xᵢ, the
 * maximum-likelihood exponent α̂ᵢ = 1 + n/Σ_{j≥i} ln(xⱼ/xᵢ) of the n = m − i values above it, and the
 * Kolmogorov–Smirnov distance Dᵢ = max_k |1 − (x_{i+k}/xᵢ)^{1−α̂ᵢ} − k/n| between the tail and the Pareto CDF; the
 * x_min with the smallest D wins. No x_max: the top value belongs to the tail. Values ≤ {@link #FLOOR} are dropped
 * first (zero eigenvalues of rank-deficient matrices). O(m²) with one exp per term; logs are computed once. When every
 * value is equal (an orthogonal matrix) no candidate has a finite α̂: the fit reports α = +∞ with D = 1.
 *
 * @param alpha  exponent of the density p(x) ∝ x^{−α} for x ≥ x_min
 * @param ksDistance KS distance D of the chosen fit
 * @param xmin   start of the tail
 * @param xmax   largest value (the fit includes it)
 * @param tailSize number n of values ≥ x_min
 * @param sigma  (α − 1)/√n, the estimator's standard error
 */
public record PowerLawFit(double alpha, double ksDistance, double xmin, double xmax, int tailSize, double sigma) {
    /** Eigenvalues at or below this are left out, as WeightWatcher does. */
    public static final double FLOOR = 1e-5;

    /** Fits sorted or unsorted values; needs at least two values above the floor. */
    public static PowerLawFit fit(double[] values) {
        double[] x = Arrays.stream(values).filter(v -> v > FLOOR && Double.isFinite(v)).sorted().toArray();
        int m = x.length;
        if (m < 2) throw new IllegalArgumentException("a power-law fit needs at least 2 values above " + FLOOR + ", got " + m);
        double[] ln = new double[m];
        for (int i = 0; i < m; i++) ln[i] = Math.log(x[i]);
        double[] suffix = new double[m + 1]; // Σ_{j≥i} ln xⱼ
        for (int i = m - 1; i >= 0; i--) suffix[i] = suffix[i + 1] + ln[i];
        int best = -1;
        double bestD = Double.POSITIVE_INFINITY, bestAlpha = Double.NaN;
        for (int i = 0; i < m - 1; i++) {
            int n = m - i;
            double sumLog = suffix[i] - n * ln[i];
            double alpha = sumLog > 0 ? 1 + n / sumLog : Double.POSITIVE_INFINITY;
            double d = alpha > 1 && Double.isFinite(alpha) ? ksDistance(ln, i, alpha, bestD) : 1.0;
            if (d < bestD) {
                bestD = d;
                best = i;
                bestAlpha = alpha;
            }
        }
        int n = m - best;
        return new PowerLawFit(bestAlpha, bestD, x[best], x[m - 1], n, (bestAlpha - 1) / Math.sqrt(n));
    }

    /**
     * D of the tail starting at index i (logs of sorted values) against a Pareto law with exponent alpha. Stops as soon
     * as D reaches {@code bound} (that candidate cannot win), which makes the scan several times faster.
     */
    static double ksDistance(double[] ln, int i, double alpha, double bound) {
        int n = ln.length - i;
        double d = 0, e = 1 - alpha, base = ln[i];
        for (int k = 0; k < n && d < bound; k++) {
            double cdf = 1 - Math.exp(e * (ln[i + k] - base));
            d = Math.max(d, Math.abs(cdf - (double) k / n));
        }
        return d;
    }

    /** The fitted density for x ≥ x_min, scaled so it integrates to {@code fraction} (the tail's share of the ESD). */
    public double density(double x, double fraction) {
        return x < xmin ? 0 : fraction * (alpha - 1) / xmin * Math.pow(x / xmin, -alpha);
    }
}
