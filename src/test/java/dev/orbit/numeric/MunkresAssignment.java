package dev.orbit.numeric;

import java.util.Arrays;

/**
 * Reference: the textbook Hungarian method (Kuhn 1955, Munkres 1957) with starred and primed zeros and line
 * covers, O(n⁴) as written. A different algorithm from the solver's shortest augmenting paths, for cross-checks
 * at n ≈ 200. Rectangular n × m (n ≤ m) is padded with zero-cost rows. Finite costs only.
 */
final class MunkresAssignment {
    private final int size;
    private final double[][] a;
    private final boolean[][] starred, primed;
    private final boolean[] rowCovered, columnCovered;

    private MunkresAssignment(double[] c, int n, int m) {
        size = m;
        a = new double[m][m];
        for (int i = 0; i < n; i++) System.arraycopy(c, i * m, a[i], 0, m);
        starred = new boolean[m][m];
        primed = new boolean[m][m];
        rowCovered = new boolean[m];
        columnCovered = new boolean[m];
    }

    /** The column of each of the n rows in a least-cost assignment. */
    static int[] solve(double[] c, int n, int m) {
        MunkresAssignment h = new MunkresAssignment(c, n, m);
        h.run();
        int[] columnOfRow = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) if (h.starred[i][j]) columnOfRow[i] = j;
        }
        return columnOfRow;
    }

    private void run() {
        for (double[] row : a) {
            double min = Arrays.stream(row).min().orElseThrow();
            for (int j = 0; j < size; j++) row[j] -= min;
        }
        for (int j = 0; j < size; j++) {
            double min = Double.POSITIVE_INFINITY;
            for (int i = 0; i < size; i++) min = Math.min(min, a[i][j]);
            for (int i = 0; i < size; i++) a[i][j] -= min;
        }
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                if (a[i][j] == 0 && !rowCovered[i] && !columnCovered[j]) {
                    starred[i][j] = true;
                    rowCovered[i] = true;
                    columnCovered[j] = true;
                }
            }
        }
        Arrays.fill(rowCovered, false);
        while (coverStarredColumns() < size) {
            int[] zero = primeUncoveredZeros();
            augmentFrom(zero[0], zero[1]);
        }
    }

    private int coverStarredColumns() {
        Arrays.fill(columnCovered, false);
        int count = 0;
        for (int j = 0; j < size; j++) {
            for (int i = 0; i < size; i++) {
                if (starred[i][j]) {
                    columnCovered[j] = true;
                    count++;
                    break;
                }
            }
        }
        return count;
    }

    /** Primes uncovered zeros (adjusting the matrix when there are none) until one has no star in its row. */
    private int[] primeUncoveredZeros() {
        while (true) {
            int[] zero = uncoveredZero();
            if (zero == null) {
                adjust();
                continue;
            }
            int i = zero[0];
            primed[i][zero[1]] = true;
            int starColumn = -1;
            for (int j = 0; j < size; j++) if (starred[i][j]) starColumn = j;
            if (starColumn < 0) return zero;
            rowCovered[i] = true;
            columnCovered[starColumn] = false;
        }
    }

    private int[] uncoveredZero() {
        for (int i = 0; i < size; i++) {
            if (rowCovered[i]) continue;
            for (int j = 0; j < size; j++) if (!columnCovered[j] && a[i][j] == 0) return new int[] {i, j};
        }
        return null;
    }

    private void adjust() {
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < size; i++) {
            if (rowCovered[i]) continue;
            for (int j = 0; j < size; j++) if (!columnCovered[j]) min = Math.min(min, a[i][j]);
        }
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                if (rowCovered[i]) a[i][j] += min;
                if (!columnCovered[j]) a[i][j] -= min;
            }
        }
    }

    /** Flips the alternating path of primes and stars that starts at the primed zero (row, column). */
    private void augmentFrom(int row, int column) {
        int i = row, j = column;
        while (true) {
            int starRow = -1;
            for (int r = 0; r < size; r++) if (starred[r][j]) starRow = r;
            starred[i][j] = true;
            if (starRow < 0) break;
            starred[starRow][j] = false;
            i = starRow;
            for (int c = 0; c < size; c++) if (primed[i][c]) j = c;
        }
        for (boolean[] p : primed) Arrays.fill(p, false);
        Arrays.fill(rowCovered, false);
    }
}
