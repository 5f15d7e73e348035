package dev.orbit.numeric;

import java.util.Arrays;

/**
 * A sparse subset of the pairs: per row, the k columns of least reduced cost c[i][j] − v_j (forbidden pairs
 * excluded, the row's assigned column always included), in column order, with their costs copied out of the
 * matrix. Rows are stored back to back (compressed rows); repairs add pairs by rebuilding, which is rare.
 *
 * <p>{@link #floor} bounds the pairs left out: floor[i] ≤ c[i][j] − v_j for every column j not among row i's
 * candidates, with v the prices when the bound was taken. Prices only fall, which only raises reduced costs, so the
 * bound stays valid: a row whose dual u_i stays at or below its floor cannot have a negative reduced cost outside its
 * candidates, and the dual certificate of such rows needs no further look at the matrix.
 */
final class CandidateGraph {
    int[] start; // row i's pairs are [start[i], start[i + 1])
    int[] column;
    double[] cost;
    final double[] floor;

    private CandidateGraph(int[] start, int[] column, double[] cost, double[] floor) {
        this.start = start;
        this.column = column;
        this.cost = cost;
        this.floor = floor;
    }

    /** The cost of the pair (row, column), which must be a candidate. */
    double cost(int row, int column) {
        int at = start[row];
        while (this.column[at] != column) at++;
        return cost[at];
    }

    int size() {
        return start[start.length - 1];
    }

    /**
     * Selects the k least reduced costs of every row (ties: lower column) in one pass over the matrix; the floor of
     * a row is its (k+1)-th least reduced cost (+inf when it has no more finite ones).
     */
    static CandidateGraph select(CostRows rows, double[] price, int k, int[] assignedColumn) {
        int n = assignedColumn.length, m = price.length;
        int[] start = new int[n + 1];
        int[] column = new int[n * (k + 1)];
        double[] cost = new double[n * (k + 1)];
        double[] floor = new double[n];
        double[] a = rows.array();
        int kept = k + 1;
        double[] heapKey = new double[kept];
        int[] heapColumn = new int[kept];
        int used = 0;
        double guess = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            int off = rows.load(i);
            // Rows of one matrix have similar order statistics: offering only keys below 1.5 × the last floor skips
            // most heap work; when fewer than k + 1 keys are below the guess, the row is selected again without it.
            int size = selectRow(a, off, price, heapKey, heapColumn, kept, guess);
            if (size < kept && guess < Double.POSITIVE_INFINITY) size = selectRow(a, off, price, heapKey, heapColumn, kept, Double.POSITIVE_INFINITY);
            if (size == kept) { // the heap's top is the (k+1)-th least: the floor, not a candidate
                floor[i] = heapKey[0];
                heapColumn[0] = heapColumn[--size];
            } else {
                floor[i] = Double.POSITIVE_INFINITY;
            }
            guess = floor[i] > 0 ? 1.5 * floor[i] : Double.POSITIVE_INFINITY;
            Arrays.sort(heapColumn, 0, size);
            int jx = assignedColumn[i];
            boolean hasAssigned = jx < 0;
            for (int t = 0; t < size; t++) {
                int j = heapColumn[t];
                hasAssigned |= j == jx;
                column[used] = j;
                cost[used++] = a[off + j];
            }
            if (!hasAssigned) { // more than k ties at the row's minimum: keep the assigned pair anyway
                int at = used - size;
                while (at < used && column[at] < jx) at++;
                System.arraycopy(column, at, column, at + 1, used - at);
                System.arraycopy(cost, at, cost, at + 1, used - at);
                column[at] = jx;
                cost[at] = a[off + jx];
                used++;
            }
            start[i + 1] = used;
        }
        return new CandidateGraph(start, Arrays.copyOf(column, used), Arrays.copyOf(cost, used), floor);
    }

    /** Fills the heap with the {@code kept} least (key, column) of the row among keys below {@code limit}; returns how many. */
    private static int selectRow(double[] a, int off, double[] price, double[] heapKey, int[] heapColumn, int kept, double limit) {
        int size = 0;
        double threshold = limit; // the largest kept key once the heap is full
        for (int j = 0, m = price.length; j < m; j++) {
            double key = a[off + j] - price[j];
            if (key < threshold) { // +inf (forbidden) never enters; equal keys: the earlier column stays
                size = offer(heapKey, heapColumn, size, kept, key, j);
                if (size == kept) threshold = heapKey[0];
            }
        }
        return size;
    }

    /** Keeps the k smallest (key, column) in a max-heap; a larger column loses a tie. Returns the new size. */
    private static int offer(double[] key, int[] col, int size, int k, double newKey, int newColumn) {
        if (size < k) {
            int at = size++;
            while (at > 0) {
                int parent = (at - 1) >>> 1;
                if (!greater(newKey, newColumn, key[parent], col[parent])) break;
                key[at] = key[parent];
                col[at] = col[parent];
                at = parent;
            }
            key[at] = newKey;
            col[at] = newColumn;
            return size;
        }
        if (!greater(key[0], col[0], newKey, newColumn)) return size;
        int at = 0;
        while (true) {
            int child = 2 * at + 1;
            if (child >= size) break;
            if (child + 1 < size && greater(key[child + 1], col[child + 1], key[child], col[child])) child++;
            if (!greater(key[child], col[child], newKey, newColumn)) break;
            key[at] = key[child];
            col[at] = col[child];
            at = child;
        }
        key[at] = newKey;
        col[at] = newColumn;
        return size;
    }

    private static boolean greater(double k1, int c1, double k2, int c2) {
        return k1 > k2 || k1 == k2 && c1 > c2;
    }

    /**
     * Adds pairs: {@code count} entries of (row, column, cost), rows ascending and, within a row, columns
     * ascending, none already present.
     */
    void add(int[] addRow, int[] addColumn, double[] addCost, int count) {
        int n = start.length - 1;
        int[] newStart = new int[n + 1];
        int[] newColumn = new int[size() + count];
        double[] newCost = new double[size() + count];
        int used = 0, next = 0;
        for (int i = 0; i < n; i++) {
            int from = start[i], to = start[i + 1];
            while (from < to || next < count && addRow[next] == i) {
                boolean takeOld = from < to && (next >= count || addRow[next] != i || column[from] < addColumn[next]);
                if (takeOld) {
                    newColumn[used] = column[from];
                    newCost[used++] = cost[from++];
                } else {
                    newColumn[used] = addColumn[next];
                    newCost[used++] = addCost[next++];
                }
            }
            newStart[i + 1] = used;
        }
        start = newStart;
        column = newColumn;
        cost = newCost;
    }
}
