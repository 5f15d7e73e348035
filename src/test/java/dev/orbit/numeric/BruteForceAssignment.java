package dev.orbit.numeric;

/** Reference: the least total cost over every injection of rows into columns (m!/(m−n)! of them; m ≤ 8). */
final class BruteForceAssignment {
    private BruteForceAssignment() {}

    /** The least total cost, +inf when every injection uses a forbidden (+inf) pair. */
    static double minimumCost(double[] c, int n, int m) {
        return search(c, n, m, 0, new boolean[m], 0.0);
    }

    private static double search(double[] c, int n, int m, int row, boolean[] used, double partial) {
        if (row == n) return partial;
        double best = Double.POSITIVE_INFINITY;
        for (int j = 0; j < m; j++) {
            if (used[j]) continue;
            used[j] = true;
            best = Math.min(best, search(c, n, m, row + 1, used, partial + c[row * m + j]));
            used[j] = false;
        }
        return best;
    }
}
