package dev.orbit.numeric;

/**
 * The linear assignment problem in float64: assign each row of an n × m cost matrix (n ≤ m) a distinct column so
 * that the total cost is least ({@link #minimize}) or greatest ({@link #maximize}). Used for matching neurons
 * between models (weight matching maximises ⟨W_a, P·W_b⟩) and for orbit membership.
 *
 * <h2>Algorithm</h2>
 * Jonker and Volgenant's shortest augmenting path method (LAPJV, 1987), written from the paper's description, with
 * its searches run on candidate pairs while staying exact over all pairs:
 * <ol>
 *   <li>one pass over the matrix: validation and, for square matrices, column reduction (v_j = the column minimum,
 *       the column offered to that row);</li>
 *   <li>one pass selecting each row's k = 32 pairs of least reduced cost c[i][j] − v_j, and a floor: the next
 *       least, a lower bound on the row's other pairs that stays valid because prices only ever fall;</li>
 *   <li>reduction transfer and two passes of augmenting row reduction on the candidates (an auction-like step that
 *       settles most rows of a random matrix, never raising a row's dual above its floor);</li>
 *   <li>for every row still free, a Dijkstra search over reduced costs c[i][j] − u_i − v_j (all ≥ 0) to the nearest
 *       unassigned column, then a price update and a flip of the path. The heap holds candidate columns and, per
 *       scanned row, one event at the row's distance plus its floor; only when that event comes first is the row
 *       read again and its next k candidates taken. A step costs O(k log n) instead of O(m).</li>
 * </ol>
 * <b>Starts.</b> Column reduction and row reduction are a good start for random matrices, a poor one for
 * similarities with a dominant low-rank part (weight matching at balanced points: a layer with 10 outputs gives every
 * unit of the layer before a 10-entry outgoing slice as heavy as its incoming one). When row reduction leaves more than
 * n/8 rows free on a square matrix of n ≥ 1024 without forbidden pairs, the solver starts again from the prices of a
 * sub-problem: every 4th row and column, solved exactly (recursively), its row duals extended to every column by the
 * c-transform v_j = min over the sampled rows of c[i][j] − u_i. A caller that solves a sequence of similar matrices
 * (the coordinate descent of weight matching) passes the previous solution's column duals instead
 * ({@link #maximize(CostMatrix, double[])}). Neither changes the optimum, only how long the searches are
 * (docs/MEASUREMENTS.md: a rank-10-dominated 4096² similarity from 46 s to 1.8 s; a warm start 0.3 s).
 * <p>
 * When the candidates do not pay (degenerate matrices, e.g. identical rows, whose candidates all point at the
 * same columns), the remaining rows are searched by reading whole rows, as in Crouse's (2016) variant that scipy's
 * {@code linear_sum_assignment} runs for every row. Every step keeps the dual certificate over all pairs, so the
 * result is optimal whichever search ran. Rectangular matrices (n &lt; m) skip column reduction and start from
 * v = 0, so that unassigned columns keep the highest price. Time O(n²·m) in the worst case; on random matrices a
 * few passes over the matrix plus sparse searches (measured in docs/MEASUREMENTS.md). Memory O(k·n + m) beyond
 * the matrix, which is never copied (one row buffer of m doubles when rows must be copied: memory segments, and
 * maximisation, which negates).
 *
 * <h2>Infinite and NaN costs</h2>
 * +inf (−inf when maximising) forbids a pair. A matrix in which the finite pairs admit no complete assignment
 * raises {@link InfeasibleAssignmentException}. NaN, and −inf when minimising (+inf when maximising), raise
 * {@link IllegalArgumentException}, as does n &gt; m (transpose such a matrix), and so do finite costs beyond
 * ±1e300, whose sums along a path could overflow.
 *
 * <h2>Accuracy</h2>
 * The result carries its certificate ({@link Assignment#rowDuals()}, {@link Assignment#columnDuals()}): reduced
 * costs are ≥ 0 up to the float64 rounding of the price updates (a few ulps of the costs' magnitude per search),
 * so the total cost is optimal to within n times that.
 *
 * <h2>Ties</h2>
 * Deterministic: the same matrix gives the same assignment, on every run and machine (no randomness, no
 * threads, strict IEEE arithmetic). Where several assignments are optimal, the one returned is fixed by these
 * rules, not by a canonical order: column reduction offers a column to its first minimum row and visits columns
 * from the last; candidates are the k least reduced costs, the lower column first on ties; row reduction takes
 * the first cheapest column (the second-cheapest when equal and the first is taken); free rows are served in
 * order; each search step settles the column of least distance, preferring an unassigned column, then the lowest
 * index; the switch to whole-row searches and to the coarse start depend on counts, not on time; a warm start's
 * duals take part in choosing among equal optima. A caller that needs a canonical choice among equal optima must break ties in the costs.
 */
public final class LinearAssignment {
    private LinearAssignment() {}

    /** The assignment of least total cost. */
    public static Assignment minimize(CostMatrix costs) {
        return AssignmentSolver.solve(costs, false, AssignmentSolver.DEFAULT_CANDIDATES, new SolveTrace());
    }

    /** The assignment of greatest total cost. */
    public static Assignment maximize(CostMatrix costs) {
        return AssignmentSolver.solve(costs, true, AssignmentSolver.DEFAULT_CANDIDATES, new SolveTrace());
    }

    /**
     * The assignment of least total cost, starting from {@code startColumnDuals} (length m; the
     * {@link Assignment#columnDuals()} of a similar square matrix, with columns in this matrix's order) instead of
     * column reduction. The optimum does not depend on the start; near-optimal duals make the searches short.
     */
    public static Assignment minimize(CostMatrix costs, double[] startColumnDuals) {
        return AssignmentSolver.solve(costs, false, AssignmentSolver.DEFAULT_CANDIDATES, new SolveTrace(), startColumnDuals);
    }

    /** {@link #minimize(CostMatrix, double[])} for the greatest total cost. */
    public static Assignment maximize(CostMatrix costs, double[] startColumnDuals) {
        return AssignmentSolver.solve(costs, true, AssignmentSolver.DEFAULT_CANDIDATES, new SolveTrace(), startColumnDuals);
    }

    /** {@link #minimize(CostMatrix)} of a row-major array, which is not copied. */
    public static Assignment minimize(double[] costs, int rows, int columns) {
        return minimize(CostMatrix.of(costs, rows, columns));
    }

    /** {@link #maximize(CostMatrix)} of a row-major array, which is not copied. */
    public static Assignment maximize(double[] costs, int rows, int columns) {
        return maximize(CostMatrix.of(costs, rows, columns));
    }
}
