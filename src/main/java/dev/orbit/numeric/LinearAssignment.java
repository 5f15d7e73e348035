package dev.orbit.numeric;

/**
 * The linear assignment problem in float64: assign each row of an n × m cost matrix (n ≤ m) a distinct column so
 * that the total cost is least ({@link #minimize}) or greatest ({@link #maximize}). Used for matching neurons
 * between models (weight matching: maximise ⟨W_a, P·W_b⟩) and for orbit membership.
 *
 * <h2>Algorithm</h2>
 * Jonker and Volgenant's shortest augmenting path method (LAPJV, 1987), written from the paper's description:
 * <ol>
 *   <li>square matrices only: column reduction (v_j = the column minimum, the column offered to that row) and
 *       reduction transfer; rectangular ones start from v = 0 with every row free, which keeps the dual certificate
 *       valid for unassigned columns;</li>
 *   <li>two passes of augmenting row reduction, an auction-like step that settles most rows of a random matrix
 *       with one row scan each;</li>
 *   <li>for every row still free, a Dijkstra search over reduced costs c[i][j] − u_i − v_j (all ≥ 0) to the nearest
 *       unassigned column, then a price update and a flip of the path — the same search as Crouse's (2016)
 *       rectangular variant that scipy's {@code linear_sum_assignment} runs for every row, without initialisation.</li>
 * </ol>
 * Each search step reads one whole cost row in column order, so the matrix is streamed sequentially.
 * Time O(n²·m) in the worst case, typically far less; memory O(n + m) beyond the matrix, which is never copied
 * (a row buffer of m doubles when rows must be copied: memory segments, and maximisation, which negates).
 *
 * <h2>Infinite and NaN costs</h2>
 * +inf (−inf when maximising) forbids a pair. A matrix in which the finite pairs admit no complete assignment
 * raises {@link InfeasibleAssignmentException}. NaN, and −inf when minimising (+inf when maximising), raise
 * {@link IllegalArgumentException}, as does n &gt; m (transpose such a matrix).
 *
 * <h2>Ties</h2>
 * Deterministic: the same matrix gives the same assignment, on every run and machine (no randomness, no
 * threads, strict IEEE arithmetic). Where several assignments are optimal, the one returned is fixed by these
 * rules, not by a canonical order: column reduction offers a column to its first minimum row and visits columns
 * from the last; row reduction takes the first cheapest column (the second-cheapest when equal and the first is
 * taken); free rows are then served in order; and each search step settles the column of least distance,
 * preferring an unassigned column, then the lowest index. A caller that needs a canonical choice among equal
 * optima must break ties in the costs.
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
