package dev.orbit.numeric;

import java.util.Arrays;

/**
 * The solver behind {@link LinearAssignment}, on costs oriented for minimisation ({@link CostRows}): one pass for
 * validation and, for square matrices, column reduction; one pass selecting each row's k least reduced costs
 * ({@link CandidateGraph}); reduction transfer and augmenting row reduction on those; then an
 * {@link AugmentingPathSearch} per row still free, exact over all pairs, or a {@link DenseSearch} once the
 * candidates stop paying for themselves.
 *
 * <p>Every step keeps the dual certificate over all pairs, not only the candidates: a row's dual never exceeds its
 * floor (the bound on its other pairs) without the search reading the row. Rectangular matrices (n &lt; m) start
 * from v = 0 without column reduction; prices then only decrease, and only on columns that get assigned, so
 * unassigned columns keep the highest price, 0, which the rectangular certificate needs.
 */
final class AssignmentSolver {
    private static final double INF = Double.POSITIVE_INFINITY;
    /** Candidate pairs per row (and per expansion); measured in docs/MEASUREMENTS.md. */
    static final int DEFAULT_CANDIDATES = 32;
    /** Augmenting row reduction passes, as in Jonker and Volgenant (1987). */
    private static final int REDUCTION_PASSES = 2;
    /**
     * Immediate reprocessing of evicted rows, per free row and pass. Unbounded, row reduction turns into a price
     * war on large random matrices (n = 2048 uniform: 115 row scans per row); past this budget evicted rows wait.
     */
    private static final int REPROCESS_BUDGET = 8;
    /**
     * The candidate search's work against the dense search's, per unit: relaxing a candidate pair (with its heap
     * update) costs about as much as this many columns of a dense row scan, and expanding a row about this many
     * row scans (measured in docs/MEASUREMENTS.md).
     */
    private static final int RELAXATION_COST = 8, EXPANSION_COST = 2;
    /** Candidate pairs, per row and candidate, beyond which the dense search takes over (memory stays O(k·n + m)). */
    private static final int GROWTH_LIMIT = 4;
    /** Finite costs beyond this could overflow float64 in the sums of reduced costs along a path. */
    static final double LARGEST_COST = 1e300;
    /**
     * Coarse-to-fine start: square matrices of at least this many rows, whose row reduction leaves more than
     * 1/{@link #COARSE_FREE_FRACTION} of the rows free, are solved again from the prices of a sub-problem (every
     * {@link #COARSE_STRIDE}-th row and column). Weight-matching similarities of trained networks need this: their
     * low-rank part (a layer's 10 outgoing weights per unit, after balancing) leaves half the rows free and each
     * search thousands of steps long (measured in docs/MEASUREMENTS.md).
     */
    private static final int COARSE_MIN_ROWS = 1024, COARSE_STRIDE = 4, COARSE_FREE_FRACTION = 8;

    private final CostMatrix costs;
    private final boolean maximise;
    private final CostRows rows;
    private final int n, m;
    private final int candidates;
    private final Matching matching;
    private final SolveTrace trace;
    /** Starting column prices (oriented for minimisation) of a warm start, or null. */
    private double[] startPrices;
    /** Whether the validating pass saw a forbidden (+inf) pair. */
    private boolean forbiddenSeen;

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
     * Solves with {@code candidates} pairs per row ({@code <= 0}: all of them), counting into {@code trace}.
     */
    static Assignment solve(CostMatrix costs, boolean maximise, int candidates, SolveTrace trace) {
        return solve(costs, maximise, candidates, trace, null);
    }

    /**
     * As {@link #solve(CostMatrix, boolean, int, SolveTrace)}, starting from the column duals {@code startDuals}
     * (in the caller's orientation, as {@link Assignment#columnDuals()} returns them) of a similar matrix instead
     * of column reduction; null for a cold start. Square matrices only; any finite duals give the same optimum.
     */
    static Assignment solve(CostMatrix costs, boolean maximise, int candidates, SolveTrace trace, double[] startDuals) {
        if (costs.rows() > costs.columns()) {
            throw new IllegalArgumentException("cost matrix has more rows than columns (" + costs.rows() + "x" + costs.columns()
                    + "): every row is assigned a distinct column, so transpose it");
        }
        AssignmentSolver solver = new AssignmentSolver(costs, maximise, candidates, trace);
        if (startDuals != null) solver.startPrices = oriented(startDuals, costs, maximise);
        if (solver.n > 0) solver.run();
        return solver.result();
    }

    private static double[] oriented(double[] duals, CostMatrix costs, boolean maximise) {
        if (costs.rows() != costs.columns()) {
            throw new IllegalArgumentException("a warm start needs a square matrix, got " + costs.rows() + "x" + costs.columns());
        }
        if (duals.length != costs.columns()) {
            throw new IllegalArgumentException(duals.length + " starting column duals for " + costs.columns() + " columns");
        }
        double[] price = new double[duals.length];
        for (int j = 0; j < price.length; j++) {
            if (!(Math.abs(duals[j]) <= LARGEST_COST)) throw new IllegalArgumentException("starting column dual " + j + " is " + duals[j]);
            price[j] = maximise ? -duals[j] : duals[j];
        }
        return price;
    }

    private void run() {
        int k = candidates <= 0 ? m : Math.min(candidates, m);
        long t0 = System.nanoTime();
        int[] matches = null;
        if (startPrices != null) {
            System.arraycopy(startPrices, 0, matching.price, 0, m);
            scan(null, null);
        } else if (n == m) {
            int[] minRow = new int[m];
            Arrays.fill(matching.price, INF);
            scan(matching.price, minRow);
            matches = reduceColumns(minRow);
        } else {
            scan(null, null);
        }
        long t1 = System.nanoTime();
        CandidateGraph graph = CandidateGraph.select(rows, matching.price, k, matching.columnOfRow);
        long t2 = System.nanoTime();
        int[] free = new int[n];
        int freeCount = 0;
        if (matches != null) {
            freeCount = transferReduction(graph, matches, free);
        } else {
            for (int i = 0; i < n; i++) free[freeCount++] = i;
        }
        for (int pass = 0; pass < REDUCTION_PASSES && freeCount > 0; pass++) freeCount = reduceRows(graph, free, freeCount);
        if (startPrices == null && n == m && n >= COARSE_MIN_ROWS && !forbiddenSeen && freeCount > n / COARSE_FREE_FRACTION) {
            // many free rows: this start will cost long searches; start again from a sub-problem's prices
            trace.coarseStarts++;
            coarsePrices(matching.price);
            matching.clear();
            graph = CandidateGraph.select(rows, matching.price, k, matching.columnOfRow);
            freeCount = 0;
            for (int i = 0; i < n; i++) free[freeCount++] = i;
            for (int pass = 0; pass < REDUCTION_PASSES && freeCount > 0; pass++) freeCount = reduceRows(graph, free, freeCount);
        }
        long t3 = System.nanoTime();
        AugmentingPathSearch search = new AugmentingPathSearch(graph, matching);
        DenseSearch dense = null;
        for (int r = 0; r < freeCount; r++) {
            boolean placed;
            if (dense == null) {
                placed = search.augment(free[r]);
                if (candidatesDoNotPay(search, graph, k)) dense = new DenseSearch(rows, matching);
            } else {
                placed = dense.augment(free[r]);
                trace.denseSearches++;
            }
            if (!placed) throw infeasible("row " + free[r] + " cannot be given a column of its own");
        }
        trace.scanNanos += t1 - t0;
        trace.selectNanos += t2 - t1;
        trace.reductionNanos += t3 - t2;
        trace.searchNanos += System.nanoTime() - t3;
        trace.searches += freeCount;
        trace.searchSteps += search.steps + (dense == null ? 0 : dense.steps);
        trace.relaxations += search.relaxations;
        trace.expansions += search.expansions;
        for (int i = 0; i < n; i++) trace.candidatePairs += graph.size[i];
    }

    /**
     * Whether the dense search should take over: the candidate search's work so far exceeds what the dense search
     * would have spent on the same steps (judged once there are 64 steps to judge by), or the rows have grown
     * more candidates than the memory bound allows. Degenerate matrices do this, for instance identical rows,
     * whose candidates all point at the same columns. Both searches keep the dual certificate over all pairs, so
     * the switch can happen between any two searches.
     */
    private boolean candidatesDoNotPay(AugmentingPathSearch search, CandidateGraph graph, int k) {
        long denseWork = search.steps * m;
        long candidateWork = RELAXATION_COST * search.relaxations + EXPANSION_COST * search.expansions * m;
        return search.steps >= 64 && candidateWork > denseWork || graph.pairs() > (long) GROWTH_LIMIT * (k + 1) * n;
    }

    /**
     * Column prices from the sub-problem of every {@link #COARSE_STRIDE}-th row and column, solved exactly: its row
     * duals u_t, and for every column the c-transform v_j = min over the sampled rows of c[i][j] − u_i. The duals
     * of an assignment problem approximate a function of the units' weights (the potential of the transport
     * problem between the two sets of units), which a quarter of the units already sample; exactness does not
     * depend on them, only the length of the searches does.
     */
    private void coarsePrices(double[] price) {
        int s = n / COARSE_STRIDE;
        double[] sub = new double[s * s];
        double[] a = rows.array();
        for (int t = 0; t < s; t++) {
            int off = rows.load(t * COARSE_STRIDE);
            for (int q = 0; q < s; q++) sub[t * s + q] = a[off + q * COARSE_STRIDE];
        }
        SolveTrace inner = new SolveTrace();
        double[] u = solve(CostMatrix.of(sub, s, s), false, candidates, inner, null).rowDuals();
        trace.coarseStarts += inner.coarseStarts;
        Arrays.fill(price, INF);
        for (int t = 0; t < s; t++) {
            int off = rows.load(t * COARSE_STRIDE);
            double ut = u[t];
            for (int j = 0; j < m; j++) {
                double r = a[off + j] - ut;
                if (r < price[j]) price[j] = r;
            }
        }
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
                if (!(Math.abs(c) <= LARGEST_COST)) {
                    if (c != INF) throw invalidEntry(i, j);
                    forbiddenSeen = true;
                }
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
     * least reduced cost (at most its floor), so the row's dual becomes that cost. Fills {@code free} with the rows
     * offered nothing.
     */
    private int transferReduction(CandidateGraph graph, int[] matches, int[] free) {
        double[] price = matching.price;
        int freeCount = 0;
        for (int i = 0; i < n; i++) {
            if (matches[i] == 0) {
                free[freeCount++] = i;
            } else if (matches[i] == 1) {
                int j1 = matching.columnOfRow[i];
                double second = graph.floor[i];
                int[] column = graph.column[i];
                for (int e = 0; e < graph.size[i]; e++) {
                    int j = column[e];
                    if (j != j1) second = Math.min(second, graph.cost[i][e] - price[j]);
                }
                if (second < INF) price[j1] -= second;
            }
        }
        return freeCount;
    }

    /**
     * One pass of augmenting row reduction over the free rows: each takes its cheapest candidate column (reduced by
     * the prices) and lowers that column's price until the column is only as attractive as the row's second choice
     * (a candidate, or its floor), evicting the column's previous row, which is reprocessed at once when the price
     * fell (strictly) and in the next pass otherwise. On a tie between the two best candidates the row takes the
     * second when the first is taken. A row whose best candidate is above its floor stays free for the search.
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
            int[] column = graph.column[i];
            double[] cost = graph.cost[i];
            for (int e = 0, end = graph.size[i]; e < end; e++) {
                int j = column[e];
                double h = cost[e] - price[j];
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
            double second = Math.min(u2, graph.floor[i]);
            if (j1 < 0 || u1 > second) { // no candidate, or one of the row's other pairs may be cheaper
                if (j1 < 0 && second == INF) throw infeasible("row " + i + " has no finite cost");
                free[freeCount++] = i;
                continue;
            }
            int evicted = owner[j1];
            boolean lowered = u1 < second && second < INF; // a row with one finite pair takes it at its price
            if (lowered) {
                price[j1] -= second - u1;
            } else if (evicted >= 0 && u2 == u1) {
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
