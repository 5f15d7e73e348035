package dev.orbit.spectra;

import java.util.Arrays;

/**
 * Marchenko–Pastur (MP) law and its fit to an ESD. For an N×M matrix (Q = N/M ≥ 1) of i.i.d. entries with variance
 * σ², the eigenvalues of WᵀW/N have density ρ(x) = Q/(2πσ²x)·√((λ₊ − x)(x − λ₋)) on [λ₋, λ₊], λ± = σ²(1 ± 1/√Q)².
 * <p>The fit follows WeightWatcher: rescale the ESD to mean 1 (so a random matrix has σ = 1 whatever its size and
 * scale), estimate the density by a triangular-kernel KDE (bandwidth 0.1) on a 1000-point grid, and pick σ on the grid
 * [0.05σ₀, 2σ₀] in steps of 0.01σ₀, σ₀ = √(x_max/(1 + 1/√Q)²), minimising Σ(ρ_MP − KDE)² over grid points where the
 * KDE is at least 0.01. For Q = 1 the density of x diverges at 0, so the quarter-circle law of the singular values
 * √x is fitted instead. The grid spans [0, 1.2 × the 95th percentile] (capped at the largest value), so a few huge
 * spikes do not leave the bulk with a handful of grid points. Spikes: values above λ₊ + √TW with the ad-hoc
 * Tracy–Widom margin TW = Q^{−1/2}·λ₊^{2/3}·M^{−2/3}.
 *
 * @param q            aspect ratio N/M ≥ 1
 * @param sigma        fitted σ on the rescaled ESD (≈ 1 for a random matrix)
 * @param scale        the rescaling factor n/Σλ (multiply raw eigenvalues by it to get the fitted ESD)
 * @param bulkMin      λ₋ in raw eigenvalue units
 * @param bulkMax      λ₊ in raw eigenvalue units (the bulk edge)
 * @param spikes       eigenvalues above the edge plus the Tracy–Widom margin
 * @param softRank     λ₊ / λ_max (both rescaled)
 * @param quarterCircle true when Q = 1 and the singular values were fitted
 */
public record MarchenkoPastur(double q, double sigma, double scale, double bulkMin, double bulkMax, int spikes,
                              double softRank, boolean quarterCircle) {
    static final double BANDWIDTH = 0.1;
    static final int GRID = 1000;
    static final double KDE_FLOOR = 0.01;

    public static double lambdaPlus(double q, double sigma) { return sigma * sigma * sq(1 + 1 / Math.sqrt(q)); }

    public static double lambdaMinus(double q, double sigma) { return sigma * sigma * sq(1 - 1 / Math.sqrt(q)); }

    /** MP density of the eigenvalues (rescaled units). */
    public static double density(double x, double q, double sigma) {
        double lp = lambdaPlus(q, sigma), lm = lambdaMinus(q, sigma);
        if (x <= lm || x >= lp || x <= 0) return 0;
        return q / (2 * Math.PI * sigma * sigma * x) * Math.sqrt((lp - x) * (x - lm));
    }

    /** Quarter-circle density of the singular values s = √x when Q = 1: √(4σ² − s²)/(πσ²) on [0, 2σ]. */
    public static double quarterCircle(double s, double sigma) {
        double r = 4 * sigma * sigma - s * s;
        return s < 0 || r <= 0 ? 0 : Math.sqrt(r) / (Math.PI * sigma * sigma);
    }

    /** The fitted density in raw eigenvalue units (for plots over the unscaled ESD). */
    public double rawDensity(double lambda) {
        double x = lambda * scale;
        if (!quarterCircle) return scale * density(x, q, sigma);
        if (x <= 0) return 0;
        double s = Math.sqrt(x); // ρ_x(x) = ρ_s(√x)/(2√x)
        return scale * quarterCircle(s, sigma) / (2 * s);
    }

    /**
     * Fits the MP law to {@code evals} (raw eigenvalues of WᵀW, any order) of matrices with aspect ratio
     * {@code q} = N/M ≥ 1 and smaller dimension {@code m} (used in the Tracy–Widom margin).
     */
    public static MarchenkoPastur fit(double[] evals, double q, long m) {
        if (!(q >= 1)) throw new IllegalArgumentException("aspect ratio Q must be ≥ 1, got " + q);
        double sum = 0;
        for (double v : evals) sum += Math.max(v, 0);
        if (!(sum > 0)) throw new IllegalArgumentException("the ESD is all zero");
        double scale = evals.length / sum;
        double[] x = Arrays.stream(evals).map(v -> Math.max(v, 0) * scale).sorted().toArray();
        double xmax = x[x.length - 1];
        boolean quarter = q == 1;
        double sigma0 = Math.sqrt(xmax / sq(1 + 1 / Math.sqrt(q)));
        double[] data = quarter ? Arrays.stream(x).map(Math::sqrt).toArray() : x;
        double hi = Math.min(data[data.length - 1], 1.2 * data[(int) Math.floor(0.95 * (data.length - 1))]);
        double[] grid = new double[GRID];
        for (int i = 0; i < GRID; i++) grid[i] = hi * i / (GRID - 1);
        double[] kde = triangularKde(data, grid, BANDWIDTH);
        double bestSigma = sigma0, bestLoss = Double.POSITIVE_INFINITY;
        for (int k = 5; k <= 200; k++) {
            double sigma = 0.01 * k * sigma0, loss = 0;
            for (int i = 0; i < GRID; i++) {
                if (kde[i] < KDE_FLOOR) continue;
                double model = quarter ? quarterCircle(grid[i], sigma) : density(grid[i], q, sigma);
                loss += sq(model - kde[i]);
            }
            if (loss < bestLoss) {
                bestLoss = loss;
                bestSigma = sigma;
            }
        }
        double lp = lambdaPlus(q, bestSigma);
        double threshold = lp + Math.sqrt(Math.pow(q, -0.5) * Math.pow(lp, 2.0 / 3) * Math.pow(m, -2.0 / 3));
        int spikes = 0;
        for (double v : x) if (v > threshold) spikes++;
        return new MarchenkoPastur(q, bestSigma, scale, lambdaMinus(q, bestSigma) / scale, lp / scale, spikes,
                lp / xmax, quarter);
    }

    /** Density estimate with the triangular kernel K(u) = (1 − |u|)/h on |u| < 1, u = (t − xᵢ)/h; data sorted. */
    static double[] triangularKde(double[] sorted, double[] grid, double h) {
        double[] out = new double[grid.length];
        int lo = 0;
        for (int g = 0; g < grid.length; g++) {
            double t = grid[g];
            while (lo < sorted.length && sorted[lo] <= t - h) lo++;
            double s = 0;
            for (int i = lo; i < sorted.length && sorted[i] < t + h; i++) s += 1 - Math.abs(t - sorted[i]) / h;
            out[g] = s / (sorted.length * h);
        }
        return out;
    }

    private static double sq(double v) { return v * v; }
}
