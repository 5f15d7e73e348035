package dev.orbit.spectra;

/**
 * How spectra are computed: the eigenvalue routine and the seed of the entry shuffles.
 *
 * @param method       Gram + eigvalsh (default) or SVD
 * @param shuffleSeed  seed of the random permutation applied to the sorted entries (see {@link Randomized})
 */
public record EsdOptions(Eigenvalues.Method method, long shuffleSeed) {
    public static final EsdOptions DEFAULT = new EsdOptions(Eigenvalues.Method.GRAM, 0);
}
