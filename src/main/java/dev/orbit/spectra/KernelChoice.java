package dev.orbit.spectra;

import dev.orbit.graph.build.ArchSpec;

/**
 * Which infinite-width kernel rule an MLP gets: from its activation, or from an override by name. Also the activation
 * the finite network uses for the empirical NTK (null where the rule has none, e.g. leaky ReLU) and the default σ_w²
 * (2 for the ReLU family, so the forward pass keeps its length; 1 otherwise).
 */
public record KernelChoice(ElementwiseKernel kernel, Activation activation, double defaultWeightVariance) {
    /** Gauss–Hermite order bounds for φ without a closed form. */
    public static final int MIN_QUADRATURE = 2;
    public static final int MAX_QUADRATURE = 200;

    /** IllegalArgumentException for an unknown override or an activation with no kernel rule. */
    public static KernelChoice of(ArchSpec.Mlp mlp, String activationOverride, int quadrature) {
        if (activationOverride != null) {
            Activation a = Activation.parse(activationOverride);
            return new KernelChoice(ElementwiseKernel.of(a, quadrature), a, a == Activation.RELU ? 2 : 1);
        }
        var act = mlp.activation();
        return switch (act.kind()) {
            case RELU -> new KernelChoice(ReluFamilyKernel.RELU, Activation.RELU, 2);
            case LEAKYRELU -> new KernelChoice(new ReluFamilyKernel(act.slope(), 1), null, 2 / (1 + act.slope() * act.slope()));
            case LINEAR -> new KernelChoice(ReluFamilyKernel.IDENTITY, Activation.LINEAR, 1);
            case TANH -> new KernelChoice(ElementwiseKernel.of(Activation.TANH, quadrature), Activation.TANH, 1);
            case HARDTANH -> new KernelChoice(ElementwiseKernel.of(Activation.HARD_TANH, quadrature), Activation.HARD_TANH, 1);
            default -> throw new IllegalArgumentException("no kernel rule for " + act + " yet; use relu, leakyrelu, linear, tanh, "
                    + "hardtanh, or --activation erf");
        };
    }
}
