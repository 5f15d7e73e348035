package dev.orbit.numeric;

import java.util.Arrays;

/**
 * The Jonker–Volgenant solver behind {@link LinearAssignment}: column reduction and reduction transfer (square
 * matrices), two passes of augmenting row reduction, then one Dijkstra shortest augmenting path per row still free.
 * Works on costs oriented for minimisation ({@link CostRows}). Column prices {@code price[j]} are the column duals v;
 * a row's dual is implicit, u_i = c[i][x_i] − v[x_i], so the invariant is: every reduced cost c[i][j] − u_i − v_j
 * is ≥ 0 (up to rounding) and 0 on assigned pairs. For n &lt; m, prices only ever decrease from 0 and only on columns
 * that get assigned, so unassigned columns keep the highest price, 0, which makes the rectangular dual certificate hold.
 * Memory: a handful of arrays of length n or m, plus one row buffer when rows are copied.
 */
final class ShortestAugmentingPath {
    private static final double INF = Double.POSITIVE_INFINITY;
    /** Augmenting row reduction passes, as in Jonker and Volgenant (1987). */
    private static final int REDUCTION_PASSES = 2;
    /**
     * Immediate reprocessing of evicted rows per free row and pass. Unbounded, row reduction turns into a price
     * war on large random matrices (n = 2048 uniform: 115 row scans per row, 10× slower than the Dijkstra phase
     * it saves); after this many the evicted rows wait for the next pass or the Dijkstra phase.
     */
    private static final int REPROCESS_BUDGET = 8;

    private final CostMatrix costs;
    private final boolean maximise;
    private final CostRows rows;
    private final int n, m;
    private final double[] price;
    private final int[] columnOfRow, rowOfColumn;
    private final int[] free;
    private int freeCount;
    // state of one Dijkstra search, kept between searches to avoid allocation: dist is all +inf between searches
    private final double[] dist;
    private final int[] pred;
    private final int[] readyColumn;
    private final double[] readyDist, readyPrice;
    private double lowest;

    private ShortestAugmentingPath(CostMatrix costs, boolean maximise) {
        this.costs = costs;
        this.maximise = maximise;
        this.rows = new CostRows(costs, maximise);
        this.n = costs.rows();
        this.m = costs.columns();
        this.price = new double[m];
        this.columnOfRow = new int[n];
        this.rowOfColumn = new int[m];
        this.free = new int[n];
        this.dist = new double[m];
        this.pred = new int[m];
        this.readyColumn = new int[m];
        this.readyDist = new double[m];
        this.readyPrice = new double[m];
        Arrays.fill(columnOfRow, -1);
        Arrays.fill(rowOfColumn, -1);
        Arrays.fill(dist, INF);
    }

    static Assignment solve(CostMatrix costs, boolean maximise) {
        if (costs.rows() > costs.columns()) {
            throw new IllegalArgumentException("cost matrix has more rows than columns (" + costs.rows() + "x" + costs.columns()
                    + "): every row is assigned a distinct column, so transpose it");
        }
        return new ShortestAugmentingPath(costs, maximise).run();
    }

    private Assignment run() {
        validate();
        if (n == m) {
            reduceColumns();
        } else {
            for (int i = 0; i < n; i++) free[i] = i;
            freeCount = n;
        }
        for (int pass = 0; pass < REDUCTION_PASSES && freeCount > 0; pass++) reduceRows();
        int remaining = freeCount;
        for (int k = 0; k < remaining; k++) augment(free[k]);
        return result();
    }

    /** NaN anywhere is an error, and so is −inf when minimising (+inf when maximising): the optimum would be unbounded. */
    private void validate() {
        double[] a = rows.array();
        for (int i = 0; i < n; i++) {
            int off = rows.load(i);
            for (int j = 0; j < m; j++) {
                if (!(a[off + j] > Double.NEGATIVE_INFINITY)) throw invalidEntry(i, j);
            }
        }
    }

    private IllegalArgumentException invalidEntry(int i, int j) {
        double x = costs.get(i, j);
        String why = Double.isNaN(x) ? "is NaN" : "is " + x + ", which makes the " + (maximise ? "maximum" : "minimum") + " unbounded";
        return new IllegalArgumentException("cost[" + i + "," + j + "] " + why + " (use " + (maximise ? "-" : "+")
                + "Infinity to forbid a pair)");
    }

    /**
     * Square matrices: v_j = column minimum, each column offered to its minimum row (first row on ties; columns
     * visited from the last, a row keeping its cheapest offer), then reduction transfer: a row holding exactly one
     * column lowers that column's price by the row's second-best reduced cost, so the row's dual becomes positive.
     */
    private void reduceColumns() {
        double[] a = rows.array();
        int[] minRow = pred;
        Arrays.fill(price, INF);
        for (int i = 0; i < n; i++) {
            int off = rows.load(i);
            for (int j = 0; j < m; j++) {
                double c = a[off + j];
                if (c < price[j]) {
                    price[j] = c;
                    minRow[j] = i;
                }
            }
        }
        int[] matches = readyColumn;
        Arrays.fill(matches, 0, n, 0);
        for (int j = m - 1; j >= 0; j--) {
            if (price[j] == INF) throw infeasible("column " + j + " has no finite cost");
            int i = minRow[j];
            if (matches[i]++ == 0) {
                assign(i, j);
            } else if (price[j] < price[columnOfRow[i]]) {
                rowOfColumn[columnOfRow[i]] = -1;
                assign(i, j);
            }
        }
        freeCount = 0;
        for (int i = 0; i < n; i++) {
            if (matches[i] == 0) {
                free[freeCount++] = i;
            } else if (matches[i] == 1) {
                int j1 = columnOfRow[i];
                int off = rows.load(i);
                double second = Math.min(minReduced(a, off, 0, j1), minReduced(a, off, j1 + 1, m));
                if (second < INF) price[j1] -= second;
            }
        }
    }

    private double minReduced(double[] a, int off, int from, int to) {
        double min = INF;
        for (int j = from; j < to; j++) min = Math.min(min, a[off + j] - price[j]);
        return min;
    }

    /**
     * One pass of augmenting row reduction over the free rows: each takes its cheapest column (reduced by the
     * prices) and lowers that column's price until the column is only as attractive as the row's second choice,
     * evicting the column's previous row, which is reprocessed at once when the price fell (strictly) and in the
     * next pass otherwise. On a tie between the two best columns the row takes the second when the first is taken.
     */
    private void reduceRows() {
        double[] a = rows.array();
        int k = 0, previous = freeCount;
        long budget = (long) REPROCESS_BUDGET * previous;
        freeCount = 0;
        while (k < previous) {
            int i = free[k++];
            int off = rows.load(i);
            double u1 = INF, u2 = INF;
            int j1 = -1, j2 = -1;
            for (int j = 0; j < m; j++) {
                double h = a[off + j] - price[j];
                if (h < u2) {
                    if (h >= u1) {
                        u2 = h;
                        j2 = j;
                    } else {
                        u2 = u1;
                        j2 = j1;
                        u1 = h;
                        j1 = j;
                    }
                }
            }
            if (j1 < 0) throw infeasible("row " + i + " has no finite cost");
            int evicted = rowOfColumn[j1];
            boolean lowered = u1 < u2 && u2 < INF;
            if (lowered) {
                price[j1] -= u2 - u1;
            } else if (evicted >= 0 && u1 == u2) {
                j1 = j2;
                evicted = rowOfColumn[j2];
            }
            if (evicted >= 0) columnOfRow[evicted] = -1;
            assign(i, j1);
            if (evicted >= 0) {
                if (lowered && budget-- > 0) free[--k] = evicted;
                else free[freeCount++] = evicted;
            }
        }
    }

    /**
     * Dijkstra from free row {@code f} over reduced costs until it reaches an unassigned column, then prices the
     * scanned ("ready") columns so all reduced costs stay ≥ 0 and flips the path. Each step scans one whole row in
     * column order (sequential reads); ready columns are taken out of the scan by giving them price −inf (their
     * tentative distance then never improves) and distance +inf (never the minimum), their true values kept aside.
     */
    private void augment(int f) {
        double[] a = rows.array();
        int ready = 0;
        int i = f;
        double base = 0;
        int sink;
        while (true) {
            int off = rows.load(i);
            if (ready > 0) {
                int last = ready - 1; // i was reached through this column, so u_i = c[i][last] − v[last]
                base = readyDist[last] - (a[off + readyColumn[last]] - readyPrice[last]);
            }
            int j = relax(a, off, base, i);
            if (j < 0) throw infeasible("row " + f + " cannot be assigned together with the rows before it");
            readyColumn[ready] = j;
            readyDist[ready] = lowest;
            readyPrice[ready] = price[j];
            ready++;
            price[j] = Double.NEGATIVE_INFINITY;
            dist[j] = INF;
            if (rowOfColumn[j] < 0) {
                sink = j;
                break;
            }
            i = rowOfColumn[j];
        }
        double total = lowest;
        for (int k = 0; k < ready; k++) price[readyColumn[k]] = readyPrice[k] - (total - readyDist[k]);
        Arrays.fill(dist, INF);
        for (int j = sink; ; ) {
            int r = pred[j];
            int next = columnOfRow[r];
            assign(r, j);
            if (r == f) break;
            j = next;
        }
    }

    /**
     * One Dijkstra step: relaxes every column through row {@code row} (whose distance minus dual is {@code base})
     * and returns the unscanned column of least distance (unassigned preferred, then the lowest index), or −1
     * when every unscanned column is unreachable. The least distance goes to {@link #lowest}.
     */
    private int relax(double[] a, int off, double base, int row) {
        double[] v = price, d = dist;
        int[] p = pred, owner = rowOfColumn;
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

    private void assign(int i, int j) {
        columnOfRow[i] = j;
        rowOfColumn[j] = i;
    }

    private InfeasibleAssignmentException infeasible(String why) {
        return new InfeasibleAssignmentException("no assignment of all " + n + " rows to distinct columns over finite costs: " + why);
    }

    private Assignment result() {
        double[] rowDual = new double[n];
        double[] columnDual = price.clone();
        double sum = 0, compensation = 0; // Neumaier summation
        for (int i = 0; i < n; i++) {
            int j = columnOfRow[i];
            double c = costs.get(i, j);
            rowDual[i] = (maximise ? -c : c) - price[j];
            double t = sum + c;
            compensation += Math.abs(sum) >= Math.abs(c) ? (sum - t) + c : (c - t) + sum;
            sum = t;
        }
        if (maximise) {
            for (int i = 0; i < n; i++) rowDual[i] = -rowDual[i];
            for (int j = 0; j < m; j++) columnDual[j] = -columnDual[j];
        }
        return new Assignment(columnOfRow, sum + compensation, rowDual, columnDual);
    }
}
