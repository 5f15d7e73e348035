package dev.orbit.geometry;

/**
 * Inverse hyperbolic functions, which {@link Math} lacks, in forms that keep full relative precision near 0
 * (through {@link Math#log1p}) and do not overflow for large arguments (x² is never formed there).
 */
public final class HyperbolicMath {
    /** Beyond this, √(1+x²) = x to double precision and asinh(x) = ln 2 + ln x. */
    private static final double LARGE = 0x1p28;
    private static final double LN2 = 0.6931471805599453;

    private HyperbolicMath() {}

    /**
     * asinh(x) = ln(x + √(1+x²)), written as log1p(x + x²/(1 + √(1+x²))) for |x| below 2²⁸: the argument of
     * log1p is computed without cancellation, so asinh(x) ≈ x keeps every digit when x is tiny.
     */
    public static double asinh(double x) {
        if (Double.isNaN(x)) return x;
        double a = Math.abs(x);
        double r;
        if (a >= LARGE) r = Math.log(a) + LN2;
        else r = Math.log1p(a + a * a / (1 + Math.sqrt(1 + a * a)));
        return Math.copySign(r, x);
    }

    /**
     * acosh(x) for x ≥ 1: with t = x − 1, acosh(1+t) = log1p(t + √(2t + t²)), exact in relative terms as
     * t → 0 (no cancellation in 1 + t − 1 when the caller can supply t; see {@link #acosh1p}).
     */
    public static double acosh(double x) {
        if (!(x >= 1)) return Double.NaN;
        if (x >= LARGE) return Math.log(x) + LN2;
        return acosh1p(x - 1);
    }

    /** acosh(1 + t) for t ≥ 0, for callers that know t more precisely than 1 + t. */
    public static double acosh1p(double t) {
        if (!(t >= 0)) return Double.NaN;
        if (t >= LARGE) return Math.log(t) + LN2; // 1 + t = t to double precision
        return Math.log1p(t + Math.sqrt(t * (2 + t)));
    }

    /**
     * The hyperbolic distance from the squared Euclidean separation and the two heights (upper half-space
     * model): d = 2·asinh(|x−y| / (2√(hₓ·h_y))), which equals arcosh(1 + |x−y|²/(2hₓh_y)) but never forms
     * 1 + (small) and so keeps full precision for nearby points.
     */
    public static double distanceFromSeparation(double squaredSeparation, double heightX, double heightY) {
        return 2 * asinh(Math.sqrt(squaredSeparation) / (2 * Math.sqrt(heightX * heightY)));
    }
}
