package dev.orbit.numeric;

/**
 * Orbit's relative errors, in one place. The definition every "function preserved" claim uses is the
 * element-wise {@link #of}: |x − y| / (|x| + |y| + ε), symmetric and bounded by 1, with ε the reference's scale
 * (max |a|) so that an element near zero is judged against the output's magnitude, as float32 rounding is.
 * Two norm-wise measures answer different questions and keep their own names: {@link #inMaxNorm} (how far a
 * trajectory moved, the ODE study's figures) and {@link #inL2Norm} (the energy of a quantisation error).
 */
public final class RelativeError {
    private RelativeError() {}

    /** |x − y| / (|x| + |y| + ε); 0 for equal values (equal infinities included), 1 when the difference is not finite. */
    public static double of(double x, double y, double epsilon) {
        if (x == y) return 0;
        double abs = Math.abs(x - y);
        if (Double.isNaN(abs) || Double.isInfinite(abs)) return 1;
        return abs / (Math.abs(x) + Math.abs(y) + epsilon);
    }

    /** The scale ε of a reference: its largest finite magnitude (at least the smallest normal double). */
    public static double scale(double[] reference) {
        double eps = 0;
        for (double v : reference) if (Double.isFinite(Math.abs(v))) eps = Math.max(eps, Math.abs(v));
        return Math.max(eps, Double.MIN_NORMAL);
    }

    /** max over elements of {@link #of}(a[i], b[i], ε) with ε = {@link #scale}(a). */
    public static double max(double[] a, double[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("lengths differ: " + a.length + " and " + b.length);
        double eps = scale(a);
        double worst = 0;
        for (int i = 0; i < a.length; i++) worst = Math.max(worst, of(a[i], b[i], eps));
        return worst;
    }

    /** ‖a − b‖∞ / ‖b‖∞: the largest deviation against the reference b's largest magnitude. */
    public static double inMaxNorm(double[] a, double[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("lengths differ: " + a.length + " and " + b.length);
        double num = Double.NEGATIVE_INFINITY;
        double den = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < a.length; i++) {
            num = Math.max(num, Math.abs(a[i] - b[i]));
            den = Math.max(den, Math.abs(b[i]));
        }
        return num / den;
    }

    /** ‖y − x‖₂ / ‖x‖₂ against the reference x (0 when x = 0). */
    public static double inL2Norm(double[] x, double[] y) {
        if (x.length != y.length) throw new IllegalArgumentException("lengths differ: " + x.length + " and " + y.length);
        double num = 0;
        double den = 0;
        for (int i = 0; i < x.length; i++) {
            num += (x[i] - y[i]) * (x[i] - y[i]);
            den += x[i] * x[i];
        }
        return den == 0 ? 0 : Math.sqrt(num / den);
    }
}
