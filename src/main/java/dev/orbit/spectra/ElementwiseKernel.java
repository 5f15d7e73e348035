package dev.orbit.spectra;

/**
 * The kernel rule of an elementwise nonlinearity φ with pre-activations (u, v) ~ N(0, [[q11, q12], [q12, q22]]):
 * Σ' = E[φ(u)φ(v)], Θ' = Σ̇·Θ with Σ̇ = E[φ'(u)φ'(v)] (the following Dense layer adds Σ').
 */
public sealed interface ElementwiseKernel extends KernelLayer permits ReluFamilyKernel, ErfKernel, QuadratureKernel {
    /** Closed forms where they exist (ReLU, identity: arc-cosine; erf), else Gauss–Hermite quadrature of this order. */
    static ElementwiseKernel of(Activation activation, int quadratureOrder) {
        return switch (activation) {
            case RELU -> ReluFamilyKernel.RELU;
            case LINEAR -> ReluFamilyKernel.IDENTITY;
            case ERF -> ErfKernel.ERF;
            case TANH, HARD_TANH -> new QuadratureKernel(activation, quadratureOrder);
        };
    }

    /** A short name for reports, e.g. "relu (arc-cosine)". */
    String describe();
}
