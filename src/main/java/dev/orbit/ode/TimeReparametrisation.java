package dev.orbit.ode;

/**
 * The time gauge t = φ(s) = s − f(s), with f(0) = f(T) = 0 and |ḟ| < 1 so that φ is a diffeomorphism of [0, T].
 * The reparametrised trajectory y(s) = x(φ(s)) solves ẏ = φ'(s)·F(φ(s), y) with the same end point:
 * F'(s, x) = (1 − ḟ(s))·F(s − f(s), x). To first order in f this is the w → w − d/dt(w·f).
 */
public record TimeReparametrisation(SineSeries f) {
    public TimeReparametrisation {
        if (f.derivativeBound() >= 1) {
            throw new IllegalArgumentException("|f'| may reach " + f.derivativeBound() + " ≥ 1: t → t − f(t) would not be invertible");
        }
    }

    /** A random f with |ḟ| ≤ maxSlope everywhere (the coefficients are scaled down when needed). */
    public static TimeReparametrisation random(int modes, double maxSlope, double endTime, java.util.SplittableRandom rng) {
        SineSeries f = SineSeries.random(modes, 1.0, endTime, rng);
        return new TimeReparametrisation(f.scaled(maxSlope / f.derivativeBound()));
    }

    /** φ(s) = s − f(s), the original time at new time s. */
    public double time(double s) { return s - f.value(s); }

    /** φ'(s) = 1 − ḟ(s). */
    public double rate(double s) { return 1 - f.derivative(s); }
}
