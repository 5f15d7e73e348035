package dev.orbit.numeric;

import java.util.Arrays;

/**
 * The solver behind {@link LinearAssignment}, on costs oriented for minimisation ({@link CostRows}).
 *
 * <p>Square matrices: one pass for validation and column minima (column reduction), one pass selecting each row's
 * k least reduced costs ({@link CandidateGraph}), reduction transfer and augmenting row reduction on those pairs,
 * a {@link SparseSearch} per row still free, then a check of the dual certificate outside the candidates: by each
 * row's floor ({@link CandidateGraph#floor}), and by reading the row again where the floor does not settle it.
 * Rows with a pair of negative reduced cost get those pairs and are assigned again (repair rounds); if that does
 * not settle it, the offending rows are released and assigned by {@link DenseSearch}, which considers every pair.
 *
 * <p>Rectangular matrices (n &lt; m): a {@link DenseSearch} for every row from v = 0, as in Crouse's variant. Prices
 * then only decrease from 0 and only on columns that get assigned, so unassigned columns keep the highest price,
 * 0, which the rectangular certificate needs. (Releasing a row would break that, hence no repairs there.)
 */
final class AssignmentSolver {
    private static final double INF = Double.POSITIVE_INFINITY;
    /** Candidate pairs per row; measured in docs/MEASUREMENTS.md. */
    static final int DEFAULT_CANDIDATES = 32;
    /** Augmenting row reduction passes, as in Jonker and Volgenant (1987). */
    private static final int REDUCTION_PASSES = 2;
    /**
     * Immediate reprocessing of evicted rows, per free row and pass. Unbounded, row reduction turns into a price
     * war on large random matrices (n = 2048 uniform: 115 row scans per row); past this budget evicted rows wait.
     */
    private static final int REPROCESS_BUDGET = 8;
    /** Repair rounds before the dense search takes over. */
    private static final int REPAIR_ROUNDS = 10;
    /**
     * Reduced costs above −ROUNDING·(|u_i| + max|v|) count as ≥ 0: float64 rounding of the price updates. (A pair
     * near that threshold has |c_ij| ≤ |u_i| + |v_j|, so this bounds the rounding of its reduced cost too.)
     */
    private static final double ROUNDING = 1e-12;
    /** Finite costs beyond this could overflow float64 in the sums of reduced costs along a path. */
    static final double LARGEST_COST = 1e300;

    private final CostMatrix costs;
    private final boolean maximise;
    private final CostRows rows;
    private final int n, m;
    private final int candidates;
    private final Matching matching;
    private final SolveTrace trace;

    private AssignmentSolver(CostMatrix costs, boolean maximise, int candidates, SolveTrace trace) {
        this.costs = costs;
        this.maximise = maximise;
        this.rows = new CostRows(costs, maximise);
        this.n = costs.rows();
        this.m = costs.columns();
        this.candidates = candidates;
        this.matching = new Matching(n, m);
        this.trace = trace;
    }

    /**
     * Solves with {@code candidates} pairs per row for square matrices (0: search all pairs from the start),
     * counting into {@code trace}.
     */
    static Assignment solve(CostMatrix costs, boolean maximise, int candidates, SolveTrace trace) {
        if (costs.rows() > costs.columns()) {
            throw new IllegalArgumentException("cost matrix has more rows than columns (" + costs.rows() + "x" + costs.columns()
                    + "): every row is assigned a distinct column, so transpose it");
        }
        AssignmentSolver solver = new AssignmentSolver(costs, maximise, candidates, trace);
        if (solver.n == solver.m && candidates > 0 && solver.n > 0) {
            solver.solveSquare();
        } else {
            solver.scan(null, null);
            int[] all = new int[solver.n];
            for (int i = 0; i < all.length; i++) all[i] = i;
            solver.assignDense(all, all.length);
        }
        return solver.result();
    }

    /**
     * One pass over the matrix: rejects NaN, −inf when minimising (+inf when maximising), since the optimum would
     * be unbounded, and finite costs beyond ±{@link #LARGEST_COST}; given arrays, records the column minima and
     * their first rows. One well-predicted branch per entry, so the pass runs at memory speed.
     */
    private void scan(double[] columnMin, int[] minRow) {
        double[] a = rows.array();
        for (int i = 0; i < n; i++) {
            int off = rows.load(i);
            for (int j = 0; j < m; j++) {
                double c = a[off + j];
                if (!(Math.abs(c) <= LARGEST_COST) && c != INF) throw invalidEntry(i, j);
                if (columnMin != null && c < columnMin[j]) {
                    columnMin[j] = c;
                    minRow[j] = i;
                }
            }
        }
    }

    private IllegalArgumentException invalidEntry(int i, int j) {
        double x = costs.get(i, j);
        if (Double.isFinite(x)) {
            return new IllegalArgumentException("cost[" + i + "," + j + "] = " + x + " is too large: sums of costs along a path could "
                    + "overflow float64; scale the matrix to within ±" + LARGEST_COST);
        }
        String why = Double.isNaN(x) ? "is NaN" : "is " + x + ", which makes the " + (maximise ? "maximum" : "minimum") + " unbounded";
        return new IllegalArgumentException("cost[" + i + "," + j + "] " + why + " (use " + (maximise ? "-" : "+")
                + "Infinity to forbid a pair)");
    }

    private InfeasibleAssignmentException infeasible(String why) {
        return new InfeasibleAssignmentException("no assignment of all " + n + " rows to distinct columns over finite costs: " + why);
    }

    private void assignDense(int[] free, int count) {
        trace.denseSearches += count;
        if (count == 0) return;
        long t0 = System.nanoTime();
        DenseSearch search = new DenseSearch(rows, matching);
        for (int k = 0; k < count; k++) {
            if (!search.augment(free[k])) throw infeasible("row " + free[k] + " cannot be given a column of its own");
        }
        trace.denseSteps += search.steps;
        trace.denseNanos += System.nanoTime() - t0;
    }

    private void solveSquare() {
        double[] price = matching.price;
        int[] minRow = new int[m];
        Arrays.fill(price, INF);
        long t0 = System.nanoTime();
        scan(price, minRow);
        long t1 = System.nanoTime();
        int[] matches = reduceColumns(minRow);
        CandidateGraph graph = CandidateGraph.select(rows, price, Math.min(candidates, m), matching.columnOfRow);
        trace.candidatePairs = graph.size();
        long t2 = System.nanoTime();
        int[] free = new int[n];
        int freeCount = transferReduction(graph, matches, free);
        for (int pass = 0; pass < REDUCTION_PASSES && freeCount > 0; pass++) freeCount = reduceRows(graph, free, freeCount);
        trace.scanNanos += t1 - t0;
        trace.selectNanos += t2 - t1;
        trace.reductionNanos += System.nanoTime() - t2;
        SparseSearch sparse = new SparseSearch(graph, matching);
        int pending = augmentSparse(sparse, free, freeCount); // rows the candidate pairs cannot place, at the front of free
        Violations v = violations(graph);
        for (int round = 0; v.count > 0 && round < REPAIR_ROUNDS && v.count <= (long) n * candidates; round++) {
            trace.repairRounds++;
            trace.violatingPairs += v.count;
            graph.add(v.row, v.column, v.cost, v.count);
            int released = release(v, free, pending);
            int[] retry = Arrays.copyOfRange(free, pending, pending + released);
            int failed = augmentSparse(sparse, retry, released);
            System.arraycopy(retry, 0, free, pending, failed);
            pending += failed;
            v = violations(graph);
        }
        trace.violatingPairs += v.count;
        pending += release(v, free, pending);
        assignDense(free, pending);
    }

    /** Releases the rows of the violations, appending them to free from {@code at}; returns how many. */
    private int release(Violations v, int[] free, int at) {
        int released = 0;
        for (int k = 0; k < v.count; k++) {
            if (k == 0 || v.row[k] != v.row[k - 1]) {
                matching.release(v.row[k]);
                free[at + released++] = v.row[k];
            }
        }
        return released;
    }

    /** Sparse searches for free[0, count); returns how many rows they could not place, now at the front of free. */
    private int augmentSparse(SparseSearch sparse, int[] free, int count) {
        long t0 = System.nanoTime();
        trace.sparseSearches += count;
        int pending = 0;
        for (int k = 0; k < count; k++) {
            if (!sparse.augment(free[k])) {
                free[pending++] = free[k];
                trace.failedSparseSearches++;
            }
        }
        trace.sparseNanos += System.nanoTime() - t0;
        trace.sparseSteps = sparse.steps;
        return pending;
    }

    /**
     * Column reduction: v_j is the column minimum (already in {@code price}); columns, from the last, are offered to
     * their first minimum row, and a row offered several keeps the cheapest. Returns the offers per row.
     */
    private int[] reduceColumns(int[] minRow) {
        double[] price = matching.price;
        int[] matches = new int[n];
        for (int j = m - 1; j >= 0; j--) {
            if (price[j] == INF) throw infeasible("column " + j + " has no finite cost");
            int i = minRow[j];
            if (matches[i]++ == 0) {
                matching.assign(i, j);
            } else if (price[j] < price[matching.columnOfRow[i]]) {
                matching.release(i);
                matching.assign(i, j);
            }
        }
        return matches;
    }

    /**
     * Reduction transfer: a row holding the only column it was offered lowers that column's price by its second
     * least reduced cost, so the row's dual becomes that cost. Fills {@code free} with the rows offered nothing.
     */
    private int transferReduction(CandidateGraph graph, int[] matches, int[] free) {
        double[] price = matching.price;
        int freeCount = 0;
        for (int i = 0; i < n; i++) {
            if (matches[i] == 0) {
                free[freeCount++] = i;
            } else if (matches[i] == 1) {
                int j1 = matching.columnOfRow[i];
                double second = INF;
                for (int e = graph.start[i]; e < graph.start[i + 1]; e++) {
                    int j = graph.column[e];
                    if (j != j1) second = Math.min(second, graph.cost[e] - price[j]);
                }
                if (second < INF) price[j1] -= second;
            }
        }
        return freeCount;
    }

    /**
     * One pass of augmenting row reduction over the free rows: each takes its cheapest candidate column (reduced by
     * the prices) and lowers that column's price until the column is only as attractive as the row's second choice,
     * evicting the column's previous row, which is reprocessed at once when the price fell (strictly) and in the
     * next pass otherwise. On a tie between the two best columns the row takes the second when the first is taken.
     * Returns the number of rows left free (at the front of {@code free}).
     */
    private int reduceRows(CandidateGraph graph, int[] free, int freeCount) {
        double[] price = matching.price;
        int[] owner = matching.rowOfColumn;
        int k = 0, previous = freeCount;
        long budget = (long) REPROCESS_BUDGET * previous;
        freeCount = 0;
        while (k < previous) {
            int i = free[k++];
            trace.rowReductionSteps++;
            double u1 = INF, u2 = INF;
            int j1 = -1, j2 = -1;
            for (int e = graph.start[i]; e < graph.start[i + 1]; e++) {
                int j = graph.column[e];
                double h = graph.cost[e] - price[j];
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
            int evicted = owner[j1];
            boolean lowered = u1 < u2 && u2 < INF;
            if (lowered) {
                price[j1] -= u2 - u1;
            } else if (evicted >= 0 && u1 == u2) {
                j1 = j2;
                evicted = owner[j2];
            }
            if (evicted >= 0) matching.release(evicted);
            matching.assign(i, j1);
            if (evicted >= 0) {
                if (lowered && budget-- > 0) free[--k] = evicted;
                else free[freeCount++] = evicted;
            }
        }
        return freeCount;
    }

    /** Pairs of assigned rows whose reduced cost is negative (beyond rounding), rows ascending, then columns. */
    private record Violations(int[] row, int[] column, double[] cost, int count) {}

    /**
     * Checks the dual certificate outside the candidate pairs (inside them the searches keep it). A row whose dual
     * u_i is at most its floor passes without reading the matrix; any other row is read again: pairs below u_i
     * are violations, and the least of the rest becomes its new floor.
     */
    private Violations violations(CandidateGraph graph) {
        long t0 = System.nanoTime();
        double[] a = rows.array(), price = matching.price, floor = graph.floor;
        double largestPrice = 0;
        for (double p : price) largestPrice = Math.max(largestPrice, Math.abs(p));
        int[] row = new int[16], column = new int[16];
        double[] cost = new double[16];
        int count = 0;
        for (int i = 0; i < n; i++) {
            int x = matching.columnOfRow[i];
            if (x < 0) continue;
            double dual = graph.cost(i, x) - price[x];
            double threshold = dual - ROUNDING * (Math.abs(dual) + largestPrice);
            if (threshold <= floor[i]) continue;
            trace.rowsReread++;
            int off = rows.load(i);
            double newFloor = INF;
            for (int e = graph.start[i], next = 0; next < m; e++) { // the columns between consecutive candidates
                int end = e < graph.start[i + 1] ? graph.column[e] : m;
                for (int j = next; j < end; j++) {
                    double key = a[off + j] - price[j];
                    if (key >= newFloor) continue; // the common case: one well-predicted branch
                    if (key >= threshold) {
                        newFloor = key;
                        continue;
                    }
                    if (count == row.length) {
                        row = Arrays.copyOf(row, 2 * count);
                        column = Arrays.copyOf(column, 2 * count);
                        cost = Arrays.copyOf(cost, 2 * count);
                    }
                    row[count] = i;
                    column[count] = j;
                    cost[count++] = a[off + j];
                }
                next = end + 1;
            }
            floor[i] = newFloor;
        }
        trace.checkNanos += System.nanoTime() - t0;
        return new Violations(row, column, cost, count);
    }

    private Assignment result() {
        int[] columnOfRow = matching.columnOfRow;
        double[] rowDual = new double[n];
        double[] columnDual = matching.price.clone();
        double sum = 0, compensation = 0; // Neumaier summation
        for (int i = 0; i < n; i++) {
            int j = columnOfRow[i];
            double c = costs.get(i, j);
            rowDual[i] = (maximise ? -c : c) - columnDual[j];
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
