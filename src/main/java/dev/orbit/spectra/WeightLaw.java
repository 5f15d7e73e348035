package dev.orbit.spectra;

import java.util.Locale;

/** How the square weight matrices of a random MLP are drawn: i.i.d. N(0, σ_w²/N) or σ_w times a Haar-orthogonal matrix. */
public enum WeightLaw {
    GAUSSIAN, ORTHOGONAL;

    /** S-transform of WWᵀ for a square W: 1/(σ_w²(1 + z)) (Gaussian, Marchenko–Pastur), σ_w⁻² (orthogonal). */
    public double sTransform(double z, double sigmaW) {
        return this == GAUSSIAN ? 1 / (sigmaW * sigmaW * (1 + z)) : 1 / (sigmaW * sigmaW);
    }

    public static WeightLaw parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "gaussian", "normal" -> GAUSSIAN;
            case "orthogonal", "haar" -> ORTHOGONAL;
            default -> throw new IllegalArgumentException("unknown weight law '" + s + "' (gaussian or orthogonal)");
        };
    }

    @Override public String toString() { return name().toLowerCase(Locale.ROOT); }
}
