package dev.orbit.numeric;

/** Special functions Java's {@code Math} lacks, in float64 to about 1e-15 relative. */
public final class SpecialFunctions {
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

    private SpecialFunctions() {}

    public static double erf(double x) {
        if (Double.isNaN(x)) return x;
        double a = Math.abs(x);
        double r = a < 2 ? erfSeries(a) : 1 - erfcContinuedFraction(a);
        return Math.copySign(r, x);
    }

    public static double erfc(double x) {
        if (Double.isNaN(x)) return x;
        if (x < 2) return 1 - erf(x); // no cancellation below 2: erfc(2) ≈ 4.7e-3
        return erfcContinuedFraction(x);
    }

    /** Standard normal density and distribution function. */
    public static double normalPdf(double x) { return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI); }

    public static double normalCdf(double x) { return 0.5 * erfc(-x / Math.sqrt(2)); }

    /** Maclaurin series; for |x| < 2 the largest term is below 10, so at most one digit is lost. */
    private static double erfSeries(double x) {
        double x2 = x * x, term = x, sum = x;
        for (int n = 1; n < 200; n++) {
            term *= -x2 / n;
            double add = term / (2 * n + 1);
            sum += add;
            if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
        }
        return TWO_OVER_SQRT_PI * sum;
    }

    /** erfc(x) = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), evaluated by modified Lentz; x ≥ 2. */
    private static double erfcContinuedFraction(double x) {
        double tiny = 1e-300;
        double f = x, c = x, d = 0;
        for (int k = 1; k < 500; k++) {
            double a = k / 2.0;
            d = x + a * d;
            d = d == 0 ? tiny : d;
            c = x + a / c;
            c = c == 0 ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) break;
        }
        return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
    }
}
