package dev.orbit.numeric;

/**
 * An optimal assignment of each row of an n × m cost matrix (n ≤ m) to a distinct column.
 *
 * @param columnOfRow the column assigned to each row (length n)
 * @param cost the total cost Σ c[i][columnOfRow[i]] of the assignment (compensated float64 sum)
 * @param rowDuals u (length n) and
 * @param columnDuals v (length m), an optimality certificate: when minimising, c[i][j] ≥ u_i + v_j for every
 *        pair, with equality on assigned pairs, and every unassigned column has v_j = max v (= 0); when
 *        maximising, the same with ≤ and min. Up to float64 rounding of the updates (a few ulps of the costs'
 *        magnitude per augmentation).
 */
public record Assignment(int[] columnOfRow, double cost, double[] rowDuals, double[] columnDuals) {
    /** The number of rows. */
    public int rows() {
        return columnOfRow.length;
    }

    /** The column assigned to {@code row}. */
    public int column(int row) {
        return columnOfRow[row];
    }

    /** The row assigned to each of {@code columns} columns, −1 where none is (length {@code columns}). */
    public int[] rowOfColumn(int columns) {
        int[] rows = new int[columns];
        java.util.Arrays.fill(rows, -1);
        for (int i = 0; i < columnOfRow.length; i++) rows[columnOfRow[i]] = i;
        return rows;
    }
}
