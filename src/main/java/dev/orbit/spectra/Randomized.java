package dev.orbit.spectra;

import java.util.Arrays;
import java.util.SplittableRandom;

import dev.orbit.tensor.NdArray;

/**
 * The ESD of the entry-shuffled weight: shuffling keeps the distribution of the entries and destroys their
 * correlations, so its eigenvalues above its own MP edge — <b>correlation traps</b> — come from a few unusually large
 * entries, not from learned structure. One replica, five when the ESD has fewer than 100 eigenvalues (pooled).
 * <p>The shuffle permutes the <em>sorted</em> entries with a seeded permutation, so its result depends only on the
 * multiset of entries: a model and any permutation of its neurons get the very same shuffled matrix, and the
 * randomized metrics are exactly invariant where they should be.
 *
 * @param replicas       how many shuffles were pooled
 * @param mp             MP fit of the shuffled ESD
 * @param traps          eigenvalues of the shuffled matrix above its MP edge plus the Tracy–Widom margin
 * @param maxEigenvalue  largest shuffled eigenvalue
 * @param softRank       max(shuffled)/max(original) (WeightWatcher's ww_softrank)
 * @param maxDistance    max(original) − max(shuffled) (ww_maxdist)
 */
public record Randomized(int replicas, MarchenkoPastur mp, int traps, double maxEigenvalue, double softRank,
                         double maxDistance, @com.fasterxml.jackson.annotation.JsonIgnore double[] eigenvalues) {
    static Randomized of(WeightMatrix w, NdArray values, double lambdaMax, EsdOptions options) {
        int replicas = w.eigenvalueCount() < 100 ? 5 : 1;
        double[] sorted = values.toDoubleArray();
        Arrays.sort(sorted);
        double[] pooled = new double[Math.toIntExact(w.eigenvalueCount() * replicas)];
        int filled = 0;
        for (int r = 0; r < replicas; r++) {
            double[] shuffled = shuffle(sorted, options.shuffleSeed() + r);
            NdArray arr = NdArray.ofDoubles(shuffled, values.shape());
            double[] ev;
            try (var scope = new org.bytedeco.javacpp.PointerScope()) {
                ev = Eigenvalues.of(w.slicesOf(arr), options.method());
            } finally {
                java.lang.ref.Reference.reachabilityFence(arr);
            }
            System.arraycopy(ev, 0, pooled, filled, ev.length);
            filled += ev.length;
        }
        Arrays.sort(pooled);
        MarchenkoPastur mp = MarchenkoPastur.fit(pooled, w.q(), w.m());
        double max = pooled[pooled.length - 1];
        return new Randomized(replicas, mp, mp.spikes(), max, max / lambdaMax, lambdaMax - max, pooled);
    }

    /** Fisher–Yates on a copy. */
    static double[] shuffle(double[] v, long seed) {
        double[] out = v.clone();
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = out.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            double t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
        return out;
    }
}
