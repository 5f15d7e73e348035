package dev.orbit.spectra;

/** A complex number in float64: just what the root finder and the Stieltjes-transform continuation need. */
public record ComplexDouble(double re, double im) {
    public static final ComplexDouble ZERO = new ComplexDouble(0, 0);
    public static final ComplexDouble ONE = new ComplexDouble(1, 0);

    public static ComplexDouble real(double re) { return new ComplexDouble(re, 0); }

    public static ComplexDouble polar(double r, double theta) { return new ComplexDouble(r * Math.cos(theta), r * Math.sin(theta)); }

    public ComplexDouble plus(ComplexDouble o) { return new ComplexDouble(re + o.re, im + o.im); }

    public ComplexDouble plus(double x) { return new ComplexDouble(re + x, im); }

    public ComplexDouble minus(ComplexDouble o) { return new ComplexDouble(re - o.re, im - o.im); }

    public ComplexDouble times(ComplexDouble o) { return new ComplexDouble(re * o.re - im * o.im, re * o.im + im * o.re); }

    public ComplexDouble times(double x) { return new ComplexDouble(re * x, im * x); }

    /** Smith's algorithm: no overflow for large components. */
    public ComplexDouble div(ComplexDouble o) {
        if (Math.abs(o.re) >= Math.abs(o.im)) {
            double r = o.im / o.re, d = o.re + o.im * r;
            return new ComplexDouble((re + im * r) / d, (im - re * r) / d);
        }
        double r = o.re / o.im, d = o.re * r + o.im;
        return new ComplexDouble((re * r + im) / d, (im * r - re) / d);
    }

    public ComplexDouble reciprocal() { return ONE.div(this); }

    public double abs() { return Math.hypot(re, im); }

    public double arg() { return Math.atan2(im, re); }

    /** Principal logarithm. */
    public ComplexDouble log() { return new ComplexDouble(Math.log(abs()), arg()); }

    public ComplexDouble exp() { return polar(Math.exp(re), im); }

    /** Integer power by repeated squaring. */
    public ComplexDouble pow(int n) {
        ComplexDouble result = ONE, base = this;
        int k = Math.abs(n);
        while (k > 0) {
            if ((k & 1) == 1) result = result.times(base);
            base = base.times(base);
            k >>= 1;
        }
        return n < 0 ? result.reciprocal() : result;
    }

    public boolean isFinite() { return Double.isFinite(re) && Double.isFinite(im); }

    @Override
    public String toString() { return re + (im < 0 ? " - " : " + ") + Math.abs(im) + "i"; }
}
