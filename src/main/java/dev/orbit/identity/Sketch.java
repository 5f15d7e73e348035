package dev.orbit.identity;

import java.util.SplittableRandom;

/**
 * Unit vectors for cosine similarities between neurons: a slice of up to {@link #EXACT} entries is normalised as
 * it is; a longer one is first projected on {@link #DIMENSION} fixed Gaussian directions (the same for both models,
 * seeded by the length), which keeps exact matches at cosine 1 and estimates other cosines to about 1/√64.
 */
final class Sketch {
    static final int EXACT = 128;
    static final int DIMENSION = 64;

    private final int length;
    private final double[][] directions;

    Sketch(int length) {
        this.length = length;
        if (length <= EXACT) {
            directions = null;
        } else {
            SplittableRandom rng = new SplittableRandom(0x5EED0000L + length);
            directions = new double[DIMENSION][length];
            for (double[] d : directions) for (int i = 0; i < length; i++) d[i] = gaussian(rng);
        }
    }

    int dimension() { return directions == null ? length : DIMENSION; }

    /** The unit sketch of v (all zeros when v is zero). */
    double[] unit(double[] v) {
        double[] s;
        if (directions == null) {
            s = v.clone();
        } else {
            s = new double[DIMENSION];
            for (int k = 0; k < DIMENSION; k++) s[k] = Tensor64.dot(directions[k], v);
        }
        double n = Math.sqrt(Tensor64.dot(s, s));
        if (n > 0) for (int i = 0; i < s.length; i++) s[i] /= n;
        return s;
    }

    private static double gaussian(SplittableRandom rng) {
        double u = rng.nextDouble();
        double w = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * w);
    }
}
