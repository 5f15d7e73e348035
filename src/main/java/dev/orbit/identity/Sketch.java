package dev.orbit.identity;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Unit vectors for cosine similarities between neurons: a slice of up to {@link #EXACT} entries is normalised as
 * it is; a longer one is first projected on {@link #DIMENSION} fixed Gaussian directions (the same for both models,
 * seeded by the length), which keeps exact matches at cosine 1 and estimates other cosines to about 1/√64.
 */
final class Sketch {
    static final int EXACT = 128;
    static final int DIMENSION = 64;

    private final int length;
    /** The directions, one row-major DIMENSION × length matrix; null for exact slices. */
    private final double[] directions;

    Sketch(int length) {
        this.length = length;
        if (length <= EXACT) {
            directions = null;
        } else {
            SplittableRandom rng = new SplittableRandom(0x5EED0000L + length);
            directions = new double[DIMENSION * length];
            for (int i = 0; i < directions.length; i++) directions[i] = gaussian(rng);
        }
    }

    int dimension() { return directions == null ? length : DIMENSION; }

    /**
     * The unit sketches (all zeros for a zero slice) of {@code count} slices stored row by row in {@code slices}
     * (count × length), as one row-major count × {@link #dimension()} matrix. The projection is one float64
     * product through the BLAS (a 4096-wide layer: 4096·64·4096 multiply-adds per parameter and model).
     */
    double[] units(double[] slices, int count) {
        double[] s = directions == null ? slices.clone() : CrossProducts.product(slices, count, directions, DIMENSION, length, false);
        int d = dimension();
        IntStream.range(0, count).parallel().forEach(r -> {
            double n = 0;
            for (int i = r * d; i < (r + 1) * d; i++) n += s[i] * s[i];
            n = Math.sqrt(n);
            if (n > 0) for (int i = r * d; i < (r + 1) * d; i++) s[i] /= n;
        });
        return s;
    }

    private static double gaussian(SplittableRandom rng) {
        double u = rng.nextDouble();
        double w = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * w);
    }
}
