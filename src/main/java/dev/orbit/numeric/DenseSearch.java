package dev.orbit.numeric;

import java.util.Arrays;

/**
 * Dijkstra over all pairs: from a free row to the nearest unassigned column by reduced costs, then a price update
 * and a flip of the path. Each step relaxes one whole cost row in column order (sequential reads of the matrix).
 * Scanned ("ready") columns are taken out of the scan without a branch: they get price −inf, so their tentative
 * distance never improves, and distance +inf, so they are never the minimum; their true values wait aside.
 */
final class DenseSearch {
    private static final double INF = Double.POSITIVE_INFINITY;

    private final CostRows rows;
    private final Matching matching;
    private final int m;
    private final double[] dist; // +inf between searches
    private final int[] pred;
    private final int[] readyColumn;
    private final double[] readyDist, readyPrice;
    private double lowest;
    /** Search steps so far (rows scanned), for {@link SolveTrace}. */
    long steps;

    DenseSearch(CostRows rows, Matching matching) {
        this.rows = rows;
        this.matching = matching;
        this.m = matching.columns;
        dist = new double[m];
        pred = new int[m];
        readyColumn = new int[m];
        readyDist = new double[m];
        readyPrice = new double[m];
        Arrays.fill(dist, INF);
    }

    /** Assigns free row {@code f}; false, with nothing changed, when no unassigned column is reachable over finite costs. */
    boolean augment(int f) {
        double[] a = rows.array(), price = matching.price;
        int[] owner = matching.rowOfColumn;
        int ready = 0;
        int i = f;
        double base = 0;
        while (true) {
            int off = rows.load(i);
            if (ready > 0) {
                int last = ready - 1; // i was reached through this column, so u_i = c[i][last] − v[last]
                base = readyDist[last] - (a[off + readyColumn[last]] - readyPrice[last]);
            }
            int j = relax(a, off, base, i);
            steps++;
            if (j < 0) {
                for (int k = 0; k < ready; k++) price[readyColumn[k]] = readyPrice[k];
                Arrays.fill(dist, INF);
                return false;
            }
            readyColumn[ready] = j;
            readyDist[ready] = lowest;
            readyPrice[ready] = price[j];
            ready++;
            price[j] = Double.NEGATIVE_INFINITY;
            dist[j] = INF;
            if (owner[j] < 0) break;
            i = owner[j];
        }
        double total = lowest;
        for (int k = 0; k < ready; k++) price[readyColumn[k]] = readyPrice[k] - (total - readyDist[k]);
        Arrays.fill(dist, INF);
        matching.flip(f, readyColumn[ready - 1], pred);
        return true;
    }

    /**
     * One step: relaxes every column through row {@code row} (distance minus dual = {@code base}) and returns the
     * unscanned column of least distance (unassigned preferred, then the lowest index), or −1 when none is
     * reachable; the distance goes to {@link #lowest}. Branch-free update: which columns improve is unpredictable.
     */
    private int relax(double[] a, int off, double base, int row) {
        double[] v = matching.price, d = dist;
        int[] p = pred, owner = matching.rowOfColumn;
        double low = INF;
        int best = -1;
        for (int j = 0; j < m; j++) {
            double r = base + a[off + j] - v[j];
            double dj = d[j];
            boolean better = r < dj;
            dj = better ? r : dj;
            d[j] = dj;
            p[j] = better ? row : p[j];
            if (dj <= low && (dj < low || best >= 0 && owner[j] < 0 && owner[best] >= 0)) {
                low = dj;
                best = j;
            }
        }
        lowest = low;
        return best;
    }
}
