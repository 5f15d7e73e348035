package dev.orbit.identity;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Units a cosine assignment cannot tell apart: every settled slice zero (dead), or every one the same unit vector as
 * another unit's (duplicates; up to sign where the space's sign is free). The assignment places them either way and
 * g·A equals B all the same, so membership reports them instead of one "true" permutation.
 */
final class InterchangeableUnits {
    /** Unit-norm sketches within this (per coordinate) are the same: duplicates of a float32 model agree to ~1e-16. */
    static final double SAME = 1e-9;

    private InterchangeableUnits() {}

    /**
     * @param parts    per settled slice kind, the m units' unit sketches
     * @param signFree per part, whether a unit's sign is free there
     * @return the units (sorted) that have an exact twin in the class, or are dead (all slices zero: nothing tells
     *         where it goes, nor its scale)
     */
    static int[] of(List<double[][]> parts, List<Boolean> signFree, int m) {
        int len = 0;
        for (double[][] p : parts) len += p[0].length;
        double[][] sig = new double[m][len];
        int at = 0;
        for (int k = 0; k < parts.size(); k++) {
            double[][] p = parts.get(k);
            int n = p[0].length;
            for (int u = 0; u < m; u++) {
                double sign = signFree.get(k) ? leadingSign(p[u]) : 1;
                for (int i = 0; i < n; i++) sig[u][at + i] = sign * p[u][i];
            }
            at += n;
        }
        Integer[] idx = IntStream.range(0, m).boxed().toArray(Integer[]::new);
        Arrays.sort(idx, (x, y) -> Arrays.compare(sig[x], sig[y]));
        boolean[] twin = new boolean[m];
        for (int j = 1; j < m; j++) {
            if (close(sig[idx[j - 1]], sig[idx[j]])) twin[idx[j - 1]] = twin[idx[j]] = true;
        }
        return IntStream.range(0, m).filter(u -> twin[u] || dead(sig[u])).toArray();
    }

    /** The units whose every part is zero (dead on these slices: neither their place nor their scale shows). */
    static int[] dead(List<double[][]> parts, int m) {
        return IntStream.range(0, m).filter(u -> parts.stream().allMatch(p -> dead(p[u]))).toArray();
    }

    private static double leadingSign(double[] v) {
        for (double x : v) if (Math.abs(x) > SAME) return Math.signum(x);
        return 1;
    }

    private static boolean dead(double[] v) {
        for (double x : v) if (Math.abs(x) > SAME) return false;
        return true;
    }

    private static boolean close(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) if (Math.abs(a[i] - b[i]) > SAME) return false;
        return true;
    }
}
