package dev.orbit.spectra;

import java.util.ArrayList;
import java.util.List;

/**
 * A log-binned density of an ESD, for log-log plots: bins of equal width in log λ between the smallest eigenvalue
 * above {@link PowerLawFit#FLOOR} and λ_max; density = count / (total count · bin width in λ), so it sits on the
 * same scale as {@link MarchenkoPastur#rawDensity} and {@link PowerLawFit#density}. Empty bins are left out (a log
 * axis cannot show zero).
 *
 * @param centres geometric bin centres
 * @param density density per unit λ
 */
public record EsdHistogram(double[] centres, double[] density) {
    public static EsdHistogram of(double[] eigenvalues, int bins) {
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (double v : eigenvalues) {
            if (v > PowerLawFit.FLOOR) lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        if (!(hi > lo)) return new EsdHistogram(new double[0], new double[0]);
        double llo = Math.log(lo), step = (Math.log(hi) - llo) / bins;
        int[] counts = new int[bins];
        for (double v : eigenvalues) {
            if (v <= PowerLawFit.FLOOR) continue;
            counts[Math.min(bins - 1, (int) ((Math.log(v) - llo) / step))]++;
        }
        List<double[]> points = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            if (counts[b] == 0) continue;
            double a = Math.exp(llo + b * step), z = Math.exp(llo + (b + 1) * step);
            points.add(new double[] {Math.sqrt(a * z), counts[b] / (eigenvalues.length * (z - a))});
        }
        return new EsdHistogram(points.stream().mapToDouble(p -> p[0]).toArray(), points.stream().mapToDouble(p -> p[1]).toArray());
    }

    /** About 2√m bins, between 10 and 60. */
    public static int defaultBins(int count) { return Math.max(10, Math.min(60, (int) (2 * Math.sqrt(count)))); }

    /** n points spaced evenly in log between a and b (a, b > 0). */
    public static double[] logSpace(double a, double b, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = Math.exp(Math.log(a) + (Math.log(b) - Math.log(a)) * i / (n - 1));
        return x;
    }
}
