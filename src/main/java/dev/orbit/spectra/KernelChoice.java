package dev.orbit.spectra;

import dev.orbit.graph.build.ArchSpec;
import dev.orbit.ops.Activation;
import dev.orbit.ops.KernelRule;
import dev.orbit.ops.standard.StandardOps;

/**
 * Which infinite-width kernel rule an MLP gets: its activation's own rule (closed form or quadrature), or the rule of
 * an activation named instead. σ_w² defaults to 1/E[φ′²] for positively homogeneous φ (2 for ReLU, 2/(1 + a²) for
 * leaky ReLU), so the forward pass keeps its length; else 1.
 */
public record KernelChoice(KernelRule kernel, Activation activation, double defaultWeightVariance) {
    /** Gauss–Hermite order bounds for φ without a closed form. */
    public static final int MIN_QUADRATURE = 2;
    public static final int MAX_QUADRATURE = 200;

    /** IllegalArgumentException for an unknown activation name. */
    public static KernelChoice of(ArchSpec.Mlp mlp, String activationOverride, int quadrature) {
        Activation a = activationOverride != null ? StandardOps.registry().activation(activationOverride) : mlp.activation();
        return new KernelChoice(a.kernelRule(quadrature), a, a.positivelyHomogeneous() ? 1 / a.meanSlopeSquared(1) : 1);
    }
}
