package dev.orbit.numeric;

/**
 * The linear assignment problem in float64: assign each row of an n × m cost matrix (n ≤ m) a distinct column so
 * that the total cost is least ({@link #minimize}) or greatest ({@link #maximize}). Used for matching neurons
 * between models (weight matching maximises ⟨W_a, P·W_b⟩) and for orbit membership.
 *
 * <h2>Algorithm</h2>
 * Jonker and Volgenant's shortest augmenting path method (LAPJV, 1987), written from the paper's description, with
 * the search restricted to candidate pairs and the optimum certified on the whole matrix:
 * <ol>
 *   <li>one pass over the matrix: validation and column reduction (v_j = the column minimum, the column offered to
 *       that row);</li>
 *   <li>one pass selecting each row's k = 32 pairs of least reduced cost c[i][j] − v_j;</li>
 *   <li>on those pairs: reduction transfer, two passes of augmenting row reduction (an auction-like step that
 *       settles most rows), and for every row still free a Dijkstra search over reduced costs to the nearest
 *       unassigned column (a binary heap; O(k log n) per step), then a price update and a flip of the path;</li>
 *   <li>a pass over the whole matrix checking the dual certificate: every reduced cost c[i][j] − u_i − v_j ≥ 0.
 *       Rows with a negative one get those pairs and are assigned again (repair rounds; since prices only fall, only
 *       the rows a search touched need checking again); if that does not settle within a few rounds, the remaining
 *       rows are assigned by the dense search, which relaxes whole rows (O(m) per step).</li>
 * </ol>
 * Rectangular matrices (n &lt; m) run the dense search for every row from v = 0, as in Crouse's (2016) variant
 * that scipy's {@code linear_sum_assignment} uses for all matrices. Time O(n²·m) in the worst case; on random
 * matrices a few passes over the matrix plus sparse searches (measured in docs/MEASUREMENTS.md). Memory O(n·k + m)
 * beyond the matrix, which is never copied (one row buffer of m doubles when rows must be copied: memory
 * segments, and maximisation, which negates).
 *
 * <h2>Infinite and NaN costs</h2>
 * +inf (−inf when maximising) forbids a pair. A matrix in which the finite pairs admit no complete assignment
 * raises {@link InfeasibleAssignmentException}. NaN, and −inf when minimising (+inf when maximising), raise
 * {@link IllegalArgumentException}, as does n &gt; m (transpose such a matrix), and so do finite costs beyond
 * ±1e300, whose sums along a path could overflow.
 *
 * <h2>Accuracy</h2>
 * The result carries its certificate ({@link Assignment#rowDuals()}, {@link Assignment#columnDuals()}): reduced
 * costs are ≥ −1e-12·(|u_i| + max|v|), the rounding of the price updates, so the total cost is optimal to within
 * n times that.
 *
 * <h2>Ties</h2>
 * Deterministic: the same matrix gives the same assignment, on every run and machine (no randomness, no
 * threads, strict IEEE arithmetic). Where several assignments are optimal, the one returned is fixed by these
 * rules, not by a canonical order: column reduction offers a column to its first minimum row and visits columns
 * from the last; candidates are the k least reduced costs, the lower column first on ties; row reduction takes
 * the first cheapest column (the second-cheapest when equal and the first is taken); free rows are served in
 * order; and each search step settles the column of least distance, preferring an unassigned column, then the
 * lowest index. A caller that needs a canonical choice among equal optima must break ties in the costs.
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

    /** {@link #minimize(CostMatrix)} of a row-major array, which is not copied. */
    public static Assignment minimize(double[] costs, int rows, int columns) {
        return minimize(CostMatrix.of(costs, rows, columns));
    }

    /** {@link #maximize(CostMatrix)} of a row-major array, which is not copied. */
    public static Assignment maximize(double[] costs, int rows, int columns) {
        return maximize(CostMatrix.of(costs, rows, columns));
    }
}
