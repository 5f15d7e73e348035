package dev.orbit.numeric;

import java.util.Arrays;

/**
 * The assignment under construction and the column prices (duals v) that certify it, shared by the searches.
 * A row's dual is implicit, u_i = c[i][x_i] − v[x_i]; the invariant every search keeps is that reduced costs
 * c[i][j] − u_i − v_j of assigned rows are ≥ 0 (up to rounding) on the edges it considers, and 0 on assigned pairs.
 */
final class Matching {
    final int rows, columns;
    final double[] price;
    final int[] columnOfRow, rowOfColumn;

    Matching(int rows, int columns) {
        this.rows = rows;
        this.columns = columns;
        price = new double[columns];
        columnOfRow = new int[rows];
        rowOfColumn = new int[columns];
        Arrays.fill(columnOfRow, -1);
        Arrays.fill(rowOfColumn, -1);
    }

    /** Unassigns every row (prices stay). */
    void clear() {
        Arrays.fill(columnOfRow, -1);
        Arrays.fill(rowOfColumn, -1);
    }

    void assign(int row, int column) {
        columnOfRow[row] = column;
        rowOfColumn[column] = row;
    }

    /** Makes {@code row} free again, and its column unassigned. */
    void release(int row) {
        int column = columnOfRow[row];
        if (column >= 0) rowOfColumn[column] = -1;
        columnOfRow[row] = -1;
    }

    /** Flips the alternating path that a search from free row {@code start} found to unassigned column {@code sink}. */
    void flip(int start, int sink, int[] predecessorRow) {
        for (int column = sink; ; ) {
            int row = predecessorRow[column];
            int next = columnOfRow[row];
            assign(row, column);
            if (row == start) return;
            column = next;
        }
    }
}
