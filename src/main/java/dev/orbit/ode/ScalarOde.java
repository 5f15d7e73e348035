package dev.orbit.ode;

import java.util.function.DoubleUnaryOperator;

/**
 * The scalar linear ODE ẋ = w(t)x + b(t) in plain Java doubles: its closed-form solution (the "Wilson line")
 * x(T) = e^{W(T)}·(x(0) + ∫₀ᵀ e^{−W(t')} b(t') dt'), W(t) = ∫₀ᵗ w, evaluated by composite Gauss–Legendre
 * quadrature, and the scalar gauge actions. Independent of libtorch and of every solver.
 */
public final class ScalarOde {
    // 5-point Gauss–Legendre on [−1, 1]
    private static final double[] NODES = {0, -0.5384693101056831, 0.5384693101056831, -0.9061798459386640, 0.9061798459386640};
    private static final double[] WEIGHTS = {0.5688888888888889, 0.4786286704993665, 0.4786286704993665, 0.2369268850561891, 0.2369268850561891};

    private ScalarOde() {}

    /** x(T) by the closed form, with {@code panels} Gauss–Legendre panels per integral (error ~ panels⁻¹⁰ for smooth w, b). */
    public static double solve(DoubleUnaryOperator w, DoubleUnaryOperator b, double x0, double endTime, int panels) {
        double h = endTime / panels;
        double total = 0;      // ∫ e^{−W} b
        double wStart = 0;     // W at the panel start
        for (int p = 0; p < panels; p++) {
            double a = p * h;
            for (int i = 0; i < NODES.length; i++) {
                double t = a + h * (NODES[i] + 1) / 2;
                double wAtT = wStart + integrate(w, a, t);
                total += h / 2 * WEIGHTS[i] * Math.exp(-wAtT) * b.applyAsDouble(t);
            }
            wStart += integrate(w, a, a + h);
        }
        return Math.exp(wStart) * (x0 + total);
    }

    /** ∫ₐᵇ f by one 5-point Gauss–Legendre panel. */
    static double integrate(DoubleUnaryOperator f, double a, double b) {
        double s = 0;
        for (int i = 0; i < NODES.length; i++) s += WEIGHTS[i] * f.applyAsDouble(a + (b - a) * (NODES[i] + 1) / 2);
        return s * (b - a) / 2;
    }

    /** Spatial gauge x' = e^{g}x: w' = w + ġ. */
    public static DoubleUnaryOperator spatialW(DoubleUnaryOperator w, SineSeries g) {
        return t -> w.applyAsDouble(t) + g.derivative(t);
    }

    /** Spatial gauge x' = e^{g}x: b' = e^{g(t) − g(0)}·b (g(0) = 0). */
    public static DoubleUnaryOperator spatialB(DoubleUnaryOperator b, SineSeries g) {
        return t -> Math.exp(g.value(t) - g.value(0)) * b.applyAsDouble(t);
    }

    /** Time gauge t = s − f(s), exact: h'(s) = (1 − ḟ(s))·h(s − f(s)) for h = w or b. */
    public static DoubleUnaryOperator temporal(DoubleUnaryOperator h, TimeReparametrisation r) {
        return s -> r.rate(s) * h.applyAsDouble(r.time(s));
    }

    /** The first-order time gauge: h → h − d/dt(h·f) = h − ḣ f − h ḟ. */
    public static DoubleUnaryOperator temporalFirstOrder(DoubleUnaryOperator h, DoubleUnaryOperator hDot, SineSeries f) {
        return t -> h.applyAsDouble(t) - hDot.applyAsDouble(t) * f.value(t) - h.applyAsDouble(t) * f.derivative(t);
    }
}
