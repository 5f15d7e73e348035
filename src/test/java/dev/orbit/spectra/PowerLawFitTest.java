package dev.orbit.spectra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The Clauset–Shalizi–Newman scan on samples from known Pareto laws, against a naive second implementation. */
class PowerLawFitTest {
    /** x = x_min·U^{−1/(α−1)} has density ∝ x^{−α} on [x_min, ∞). */
    static double[] pareto(double alpha, double xmin, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = xmin * Math.pow(1 - r.nextDouble(), -1 / (alpha - 1));
        return x;
    }

    @Test
    void recoversTheExponentOfParetoSamples() {
        // tolerance: 4 standard errors (α − 1)/√n of the tail the scan chose, which must keep ≥ 10 % of the sample
        for (double alpha : new double[] {1.8, 2.5, 3.5, 5.0}) {
            for (long seed = 1; seed <= 3; seed++) {
                PowerLawFit f = PowerLawFit.fit(pareto(alpha, 1.0, 3000, seed));
                assertTrue(f.tailSize() >= 300, "α = " + alpha + ": tail of " + f.tailSize());
                assertEquals(alpha, f.alpha(), 4 * f.sigma(), "α = " + alpha + " seed " + seed + ": " + f);
                assertTrue(f.ksDistance() < 0.05, f.toString());
            }
        }
    }

    @Test
    void findsWhereTheTailStartsAboveABulk() {
        // 2,000 values uniform on [0.1, 1] below a Pareto tail (α = 2.5) of 600 values from x_min = 3
        SplittableRandom r = new SplittableRandom(7);
        double[] bulk = new double[2000];
        for (int i = 0; i < bulk.length; i++) bulk[i] = r.nextDouble(0.1, 1.0);
        double[] tail = pareto(2.5, 3.0, 600, 8);
        double[] all = new double[bulk.length + tail.length];
        System.arraycopy(bulk, 0, all, 0, bulk.length);
        System.arraycopy(tail, 0, all, bulk.length, tail.length);
        PowerLawFit f = PowerLawFit.fit(all);
        assertTrue(f.xmin() >= 3.0 && f.xmin() < 4.0, "x_min " + f.xmin());
        assertTrue(f.tailSize() <= 600 && f.tailSize() >= 400, "tail " + f.tailSize());
        assertEquals(2.5, f.alpha(), 4 * f.sigma(), f.toString());
    }

    @Test
    void agreesWithANaiveScan() {
        for (long seed = 11; seed <= 14; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            double[] x = new double[400];
            for (int i = 0; i < x.length; i++) x[i] = Math.exp(r.nextGaussian()) + (i % 7 == 0 ? 1e-6 : 0); // log-normal
            x[3] = 0; // dropped: below the floor
            PowerLawFit f = PowerLawFit.fit(x);
            double[] naive = naive(x);
            assertEquals(naive[0], f.alpha(), 1e-9 * naive[0]);
            assertEquals(naive[1], f.ksDistance(), 1e-12);
            assertEquals(naive[2], f.xmin(), 0);
            assertEquals((f.alpha() - 1) / Math.sqrt(f.tailSize()), f.sigma(), 1e-15);
        }
    }

    /** Straight from the definition with Math.pow and no pruning: {α, D, x_min}. */
    private static double[] naive(double[] values) {
        double[] x = Arrays.stream(values).filter(v -> v > 1e-5).sorted().toArray();
        double[] best = {Double.NaN, Double.POSITIVE_INFINITY, Double.NaN};
        for (int i = 0; i < x.length - 1; i++) {
            int n = x.length - i;
            double s = 0;
            for (int j = i; j < x.length; j++) s += Math.log(x[j] / x[i]);
            double alpha = 1 + n / s;
            double d = 0;
            for (int k = 0; k < n; k++) d = Math.max(d, Math.abs(1 - Math.pow(x[i + k] / x[i], 1 - alpha) - (double) k / n));
            if (d < best[1]) best = new double[] {alpha, d, x[i]};
        }
        return best;
    }

    @Test
    void densityIntegratesToTheTailFraction() {
        PowerLawFit f = new PowerLawFit(2.5, 0.01, 2.0, 100, 50, 0.2);
        // ∫_{x_min}^∞ = fraction: integrate in log space, x = x_min·e^t
        double s = 0, dt = 1e-3;
        for (double t = dt / 2; t < 40; t += dt) {
            double x = 2.0 * Math.exp(t);
            s += f.density(x, 0.3) * x * dt;
        }
        assertEquals(0.3, s, 1e-6);
        assertEquals(0, f.density(1.9, 0.3));
    }

    @Test
    void needsTwoValuesAboveTheFloor() {
        assertThrows(IllegalArgumentException.class, () -> PowerLawFit.fit(new double[] {0, 1e-6, 3}));
    }
}
