package dev.orbit.ode;

import java.util.SplittableRandom;

/** Standard normal draws from a seeded SplittableRandom (Box–Muller), so every experiment is reproducible. */
final class Gaussian {
    private Gaussian() {}

    static double next(SplittableRandom rng) {
        double u = rng.nextDouble();
        while (u == 0) u = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    static double[] vector(SplittableRandom rng, int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = scale * next(rng);
        return v;
    }
}
