package dev.orbit.spectra;

import dev.orbit.ops.Activation;
import dev.orbit.ops.standard.StandardOps;

/** The activations the spectra tests use, looked up once in the standard registry. */
final class Activations {
    static final Activation LINEAR = of("linear");
    static final Activation RELU = of("relu");
    static final Activation HARD_TANH = of("hard-tanh");
    static final Activation TANH = of("tanh");
    static final Activation ERF = of("erf");

    private Activations() {}

    static Activation of(String name) { return StandardOps.registry().activation(name); }

    /** The five with closed-form or long-tested mean-field rules. */
    static Activation[] values() { return new Activation[] {LINEAR, RELU, HARD_TANH, TANH, ERF}; }
}
