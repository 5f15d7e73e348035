package dev.orbit.numeric;

/** Mean and spread of a handful of repeated measurements (seeds, orbit points), summed in index order. */
public final class Stats {
    private Stats() {}

    public static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    /** The sample standard deviation (divisor n − 1); 0 for fewer than two values. */
    public static double std(double[] v) {
        if (v.length < 2) return 0;
        double m = mean(v);
        double s = 0;
        for (double x : v) s += (x - m) * (x - m);
        return Math.sqrt(s / (v.length - 1));
    }
}
