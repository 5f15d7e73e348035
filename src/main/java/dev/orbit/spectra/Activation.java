package dev.orbit.spectra;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/**
 * Elementwise activations as the random-matrix and kernel analysis sees them: φ and φ' in float64. Kinked
 * ones (ReLU, hard-tanh) carry their derivative's value set so the free-probability code can treat D² as
 * Bernoulli exactly instead of by quadrature.
 */
public enum Activation {
    LINEAR(x -> x, x -> 1, true),
    RELU(x -> Math.max(x, 0), x -> x > 0 ? 1 : 0, true),
    HARD_TANH(x -> Math.max(-1, Math.min(1, x)), x -> Math.abs(x) < 1 ? 1 : 0, true),
    TANH(Math::tanh, x -> {
        double t = Math.tanh(x);
        return 1 - t * t;
    }, false),
    ERF(SpecialFunctions::erf, x -> 2 / Math.sqrt(Math.PI) * Math.exp(-x * x), false);

    private final DoubleUnaryOperator phi;
    private final DoubleUnaryOperator derivative;
    private final boolean derivativeIsZeroOne;

    Activation(DoubleUnaryOperator phi, DoubleUnaryOperator derivative, boolean derivativeIsZeroOne) {
        this.phi = phi;
        this.derivative = derivative;
        this.derivativeIsZeroOne = derivativeIsZeroOne;
    }

    public double apply(double x) { return phi.applyAsDouble(x); }

    public double derivative(double x) { return derivative.applyAsDouble(x); }

    public DoubleUnaryOperator phi() { return phi; }

    public DoubleUnaryOperator derivative() { return derivative; }

    /** True when φ' only takes the values 0 and 1, so D² is a Bernoulli diagonal. */
    public boolean derivativeIsZeroOne() { return derivativeIsZeroOne; }

    /** Accepts relu, tanh, erf, linear, hardtanh / hard-tanh / hard_tanh (any case). */
    public static Activation parse(String name) {
        String key = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        if (key.equals("HARDTANH")) key = "HARD_TANH";
        for (Activation a : values()) if (a.name().equals(key)) return a;
        throw new IllegalArgumentException("unknown activation '" + name + "'; expected one of "
                + Arrays.stream(values()).map(a -> a.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList());
    }
}
