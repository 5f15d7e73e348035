package dev.orbit.ode;

import java.util.SplittableRandom;

/**
 * g(t) = Σ_k c_k·sin(kπt/T), k = 1..K: a smooth function that vanishes at t = 0 and t = T, the family the
 * gauge functions are drawn from.
 */
public record SineSeries(double endTime, double[] coefficients) {
    public SineSeries {
        coefficients = coefficients.clone();
    }

    /** Coefficients c_k = amplitude·N(0,1)/k²: smooth, dominated by the first modes. */
    public static SineSeries random(int modes, double amplitude, double endTime, SplittableRandom rng) {
        double[] c = new double[modes];
        for (int k = 1; k <= modes; k++) c[k - 1] = amplitude * Gaussian.next(rng) / ((double) k * k);
        return new SineSeries(endTime, c);
    }

    public double value(double t) {
        double s = 0;
        for (int k = 1; k <= coefficients.length; k++) s += coefficients[k - 1] * Math.sin(k * Math.PI * t / endTime);
        return s;
    }

    public double derivative(double t) {
        double s = 0;
        for (int k = 1; k <= coefficients.length; k++) {
            double w = k * Math.PI / endTime;
            s += coefficients[k - 1] * w * Math.cos(w * t);
        }
        return s;
    }

    /** An upper bound of |ġ| on [0, T]: Σ|c_k|·kπ/T. */
    public double derivativeBound() {
        double s = 0;
        for (int k = 1; k <= coefficients.length; k++) s += Math.abs(coefficients[k - 1]) * k * Math.PI / endTime;
        return s;
    }

    public SineSeries scaled(double factor) {
        double[] c = coefficients.clone();
        for (int i = 0; i < c.length; i++) c[i] *= factor;
        return new SineSeries(endTime, c);
    }
}
