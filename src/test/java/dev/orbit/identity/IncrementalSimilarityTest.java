package dev.orbit.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The kept similarity equals the one formed afresh after neighbours' moves and the class's own placements. */
class IncrementalSimilarityTest {
    private static final int M = 60;

    @Test
    void updatesOverChangedColumnsMatchAFreshProduct() {
        SplittableRandom rng = new SplittableRandom(3);
        int[] lengths = {40, 1, 25};
        double[][] target = new double[lengths.length][], work = new double[lengths.length][];
        for (int f = 0; f < lengths.length; f++) {
            target[f] = gaussian(rng, M * lengths[f]);
            work[f] = gaussian(rng, M * lengths[f]);
        }
        IncrementalSimilarity kept = new IncrementalSimilarity(false);
        kept.similarity(7, M, slices(target, work, lengths));
        for (int step = 0; step < 6; step++) {
            // a neighbour moves a few units: swap two columns of one feature's working slices
            int f = step % 2 == 0 ? 0 : 2;
            int a = rng.nextInt(lengths[f]), b = (a + 1 + rng.nextInt(lengths[f] - 1)) % lengths[f];
            for (int u = 0; u < M; u++) {
                double t = work[f][u * lengths[f] + a];
                work[f][u * lengths[f] + a] = work[f][u * lengths[f] + b];
                work[f][u * lengths[f] + b] = t;
            }
            double[] sim = kept.similarity(7, M, slices(target, work, lengths)).clone();
            assertClose(fresh(target, work, lengths), sim);
            // the class places a permutation: its rows move in every feature, and the kept state follows
            int[] p = permutation(rng);
            kept.placed(7, p);
            for (int g = 0; g < lengths.length; g++) {
                double[] moved = new double[work[g].length];
                for (int j = 0; j < M; j++) System.arraycopy(work[g], p[j] * lengths[g], moved, j * lengths[g], lengths[g]);
                work[g] = moved;
            }
        }
        assertTrue(kept.deltaProducts > 0 && kept.deltaProducts < kept.fullProducts, kept.deltaProducts + " vs " + kept.fullProducts);
        // most columns changed: formed afresh
        for (int u = 0; u < M * lengths[0]; u++) work[0][u] = rng.nextGaussian();
        long full = kept.fullProducts;
        assertClose(fresh(target, work, lengths), kept.similarity(7, M, slices(target, work, lengths)));
        assertTrue(kept.fullProducts > full);
    }

    private static List<IncrementalSimilarity.Slices> slices(double[][] target, double[][] work, int[] lengths) {
        List<IncrementalSimilarity.Slices> out = new java.util.ArrayList<>();
        for (int f = 0; f < lengths.length; f++) out.add(new IncrementalSimilarity.Slices("f" + f, target[f], work[f].clone(), lengths[f]));
        return out;
    }

    private static double[] fresh(double[][] target, double[][] work, int[] lengths) {
        double[] s = new double[M * M];
        for (int f = 0; f < lengths.length; f++) {
            for (int r = 0; r < M; r++) {
                for (int c = 0; c < M; c++) {
                    double dot = 0;
                    for (int k = 0; k < lengths[f]; k++) dot += target[f][r * lengths[f] + k] * work[f][c * lengths[f] + k];
                    s[r * M + c] += dot;
                }
            }
        }
        return s;
    }

    private static void assertClose(double[] expected, double[] got) {
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], got[i], 1e-12 * 40, "entry " + i);
    }

    private static double[] gaussian(SplittableRandom rng, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = rng.nextGaussian();
        return v;
    }

    private static int[] permutation(SplittableRandom rng) {
        int[] p = new int[M];
        for (int i = 0; i < M; i++) p[i] = i;
        for (int i = M - 1; i > 0; i--) {
            int k = rng.nextInt(i + 1), t = p[i];
            p[i] = p[k];
            p[k] = t;
        }
        return p;
    }
}
