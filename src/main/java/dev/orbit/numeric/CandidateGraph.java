package dev.orbit.numeric;

import java.util.Arrays;

/**
 * Candidate pairs: per row, the columns of least reduced cost c[i][j] − v_j (forbidden pairs excluded, the row's
 * assigned column always included), with their costs copied out of the matrix, and a floor that bounds the rest:
 * floor[i] ≤ c[i][j] − v_j for every column j that is not a candidate of row i.
 *
 * <p>Prices only ever fall, which only raises reduced costs, so a floor taken once stays a valid bound. The searches
 * use it to stay exact over all pairs while reading only candidates: a row's other pairs are no nearer than its
 * floor, and when a search reaches that distance it {@link #expand}s the row: reads it again, takes its next k
 * least reduced costs as candidates and raises the floor to the one after them.
 */
final class CandidateGraph {
    final int[][] column;
    final double[][] cost;
    final int[] size;
    final double[] floor;
    private final int k;
    private final CostRows rows;
    private final double[] heapKey;
    private final int[] heapColumn;
    private final boolean[] isCandidate; // scratch for expand, all false between calls
    private long pairs;

    private CandidateGraph(int n, int m, int k, CostRows rows) {
        column = new int[n][];
        cost = new double[n][];
        size = new int[n];
        floor = new double[n];
        this.k = k;
        this.rows = rows;
        heapKey = new double[k + 1];
        heapColumn = new int[k + 1];
        isCandidate = new boolean[m];
    }

    /** Candidate pairs in all. */
    long pairs() {
        return pairs;
    }

    /** The cost of the pair (row, column), which must be a candidate. */
    double cost(int row, int column) {
        int[] columns = this.column[row];
        int at = 0;
        while (columns[at] != column) at++;
        return cost[row][at];
    }

    /**
     * Selects the k least reduced costs of every row (ties: the lower column) in one pass over the matrix; the
     * floor of a row is its (k+1)-th least reduced cost (+inf when it has no more finite ones).
     */
    static CandidateGraph select(CostRows rows, double[] price, int k, int[] assignedColumn) {
        int n = assignedColumn.length, m = price.length;
        CandidateGraph g = new CandidateGraph(n, m, k, rows);
        double[] a = rows.array();
        double guess = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            int off = rows.load(i);
            // Rows of one matrix have similar order statistics: offering only keys below 1.5 × the last floor skips
            // most heap work; when fewer than k + 1 keys are below the guess, the row is selected again without it.
            int found = g.selectRow(a, off, price, guess);
            if (found <= k && guess < Double.POSITIVE_INFINITY) found = g.selectRow(a, off, price, Double.POSITIVE_INFINITY);
            int j = assignedColumn[i];
            boolean extra = j >= 0 && !g.keeps(found, j);
            g.column[i] = new int[Math.min(found, k) + (extra ? 1 : 0)];
            g.cost[i] = new double[g.column[i].length];
            g.take(i, a, off, found);
            if (extra) g.append(i, j, a[off + j]); // more than k ties at the row's minimum: keep the assigned pair anyway
            guess = g.floor[i] > 0 ? 1.5 * g.floor[i] : Double.POSITIVE_INFINITY;
        }
        return g;
    }

    /**
     * Adds row {@code row}'s k least reduced costs (current prices) among its non-candidates to its candidates and
     * raises its floor to the next one. Returns the index where the new candidates start.
     */
    int expand(int row, double[] price) {
        double[] a = rows.array();
        int off = rows.load(row);
        int[] columns = column[row];
        int before = size[row];
        for (int t = 0; t < before; t++) isCandidate[columns[t]] = true;
        int found = 0;
        double threshold = Double.POSITIVE_INFINITY;
        for (int j = 0, m = price.length; j < m; j++) {
            double key = a[off + j] - price[j];
            if (key < threshold && !isCandidate[j]) {
                found = offer(found, key, j);
                if (found == k + 1) threshold = heapKey[0];
            }
        }
        for (int t = 0; t < before; t++) isCandidate[columns[t]] = false;
        int grown = before + Math.min(found, k);
        if (grown > columns.length) {
            column[row] = Arrays.copyOf(columns, grown);
            cost[row] = Arrays.copyOf(cost[row], grown);
        }
        take(row, a, off, found);
        return before;
    }

    /** Heap-selects the k + 1 least (key, column) of a row among keys below {@code limit}; returns how many. */
    private int selectRow(double[] a, int off, double[] price, double limit) {
        int found = 0;
        double threshold = limit; // the largest kept key once k + 1 are kept
        for (int j = 0, m = price.length; j < m; j++) {
            double key = a[off + j] - price[j];
            if (key < threshold) { // +inf (forbidden) never enters; equal keys: the earlier column stays
                found = offer(found, key, j);
                if (found == k + 1) threshold = heapKey[0];
            }
        }
        return found;
    }

    private boolean keeps(int found, int j) {
        for (int t = found == k + 1 ? 1 : 0; t < found; t++) if (heapColumn[t] == j) return true;
        return false;
    }

    /** Appends the selected keys to the row's candidates, in column order, the (k+1)-th becoming its floor. */
    private void take(int row, double[] a, int off, int found) {
        if (found == k + 1) { // the heap's top is the (k+1)-th least: the floor, not a candidate
            floor[row] = heapKey[0];
            heapColumn[0] = heapColumn[--found];
        } else {
            floor[row] = Double.POSITIVE_INFINITY;
        }
        Arrays.sort(heapColumn, 0, found);
        for (int t = 0; t < found; t++) append(row, heapColumn[t], a[off + heapColumn[t]]);
    }

    private void append(int row, int j, double c) {
        pairs++;
        column[row][size[row]] = j;
        cost[row][size[row]++] = c;
    }

    /** Keeps the k + 1 smallest (key, column) in a max-heap; a larger column loses a tie. Returns the new size. */
    private int offer(int found, double newKey, int newColumn) {
        double[] key = heapKey;
        int[] col = heapColumn;
        if (found <= k) {
            int at = found++;
            while (at > 0) {
                int parent = (at - 1) >>> 1;
                if (!greater(newKey, newColumn, key[parent], col[parent])) break;
                key[at] = key[parent];
                col[at] = col[parent];
                at = parent;
            }
            key[at] = newKey;
            col[at] = newColumn;
            return found;
        }
        if (!greater(key[0], col[0], newKey, newColumn)) return found;
        int at = 0;
        while (true) {
            int child = 2 * at + 1;
            if (child >= found) break;
            if (child + 1 < found && greater(key[child + 1], col[child + 1], key[child], col[child])) child++;
            if (!greater(key[child], col[child], newKey, newColumn)) break;
            key[at] = key[child];
            col[at] = col[child];
            at = child;
        }
        key[at] = newKey;
        col[at] = newColumn;
        return found;
    }

    private static boolean greater(double k1, int c1, double k2, int c2) {
        return k1 > k2 || k1 == k2 && c1 > c2;
    }
}
