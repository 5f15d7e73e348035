package dev.orbit.numeric;

import java.util.Arrays;

/**
 * Dijkstra restricted to the pairs of a {@link CandidateGraph}, with an indexed binary heap of tentative column
 * distances: a step costs O(k log m) instead of the O(m) of a {@link DenseSearch}. Same path, price update and
 * tie rule (least distance, unassigned preferred, then the lowest index) as the dense search; optimality over
 * all pairs is not implied and is checked afterwards against the whole matrix. Columns farther than the nearest
 * unassigned column reached so far never enter the heap, which keeps it small.
 */
final class SparseSearch {
    private static final double INF = Double.POSITIVE_INFINITY;

    private final CandidateGraph graph;
    private final Matching matching;
    private final double[] dist; // +inf between searches
    private final int[] pred;
    private final boolean[] ready;
    private final int[] readyColumn;
    private final int[] touched;
    private final int[] heap, heapIndex; // heapIndex[j] = position of column j in heap, −1 when absent
    private int heapSize;
    /** Search steps so far (rows scanned), for {@link SolveTrace}. */
    long steps;

    SparseSearch(CandidateGraph graph, Matching matching) {
        this.graph = graph;
        this.matching = matching;
        int m = matching.columns;
        dist = new double[m];
        pred = new int[m];
        ready = new boolean[m];
        readyColumn = new int[m];
        touched = new int[m];
        heap = new int[m];
        heapIndex = new int[m];
        Arrays.fill(dist, INF);
        Arrays.fill(heapIndex, -1);
    }

    /** Assigns free row {@code f} over candidate pairs; false, with nothing changed, when they reach no unassigned column. */
    boolean augment(int f) {
        int[] owner = matching.rowOfColumn;
        double[] price = matching.price;
        int readyCount = 0, touchedCount = 0;
        int i = f;
        double base = 0;
        int sink = -1;
        double total = 0;
        double freeBound = INF; // least distance of an unassigned column reached so far
        while (true) {
            steps++;
            int from = graph.start[i], to = graph.start[i + 1];
            int[] column = graph.column;
            double[] cost = graph.cost;
            if (readyCount > 0) { // u_i = c[i][x_i] − v[x_i], from the pair that reached row i
                int via = readyColumn[readyCount - 1];
                int at = from;
                while (column[at] != via) at++;
                base = dist[via] - (cost[at] - price[via]);
            }
            for (int e = from; e < to; e++) {
                int j = column[e];
                if (ready[j]) continue;
                double r = base + cost[e] - price[j];
                // beyond the nearest unassigned column found so far a column can never be settled before the search
                // ends, so it stays out of the heap (at equal distance an unassigned column still competes on index)
                if (r < dist[j] && (r < freeBound || r == freeBound && owner[j] < 0)) {
                    if (dist[j] == INF) touched[touchedCount++] = j;
                    dist[j] = r;
                    pred[j] = i;
                    if (owner[j] < 0) freeBound = r;
                    siftUp(heapIndex[j] >= 0 ? heapIndex[j] : push(j), owner);
                }
            }
            if (heapSize == 0) break;
            int j = pop(owner);
            ready[j] = true;
            readyColumn[readyCount++] = j;
            if (owner[j] < 0) {
                sink = j;
                total = dist[j];
                break;
            }
            i = owner[j];
        }
        if (sink >= 0) {
            for (int k = 0; k < readyCount; k++) {
                int j = readyColumn[k];
                price[j] -= total - dist[j];
            }
        }
        for (int k = 0; k < readyCount; k++) ready[readyColumn[k]] = false;
        for (int k = 0; k < touchedCount; k++) dist[touched[k]] = INF;
        while (heapSize > 0) heapIndex[heap[--heapSize]] = -1;
        if (sink < 0) return false;
        matching.flip(f, sink, pred);
        return true;
    }

    private boolean before(int a, int b, int[] owner) {
        double da = dist[a], db = dist[b];
        if (da != db) return da < db;
        boolean freeA = owner[a] < 0, freeB = owner[b] < 0;
        return freeA != freeB ? freeA : a < b;
    }

    private int push(int j) {
        heap[heapSize] = j;
        heapIndex[j] = heapSize;
        return heapSize++;
    }

    private void siftUp(int at, int[] owner) {
        int j = heap[at];
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            if (!before(j, heap[parent], owner)) break;
            heap[at] = heap[parent];
            heapIndex[heap[at]] = at;
            at = parent;
        }
        heap[at] = j;
        heapIndex[j] = at;
    }

    private int pop(int[] owner) {
        int top = heap[0];
        heapIndex[top] = -1;
        int last = heap[--heapSize];
        if (heapSize > 0) {
            int at = 0;
            while (true) {
                int child = 2 * at + 1;
                if (child >= heapSize) break;
                if (child + 1 < heapSize && before(heap[child + 1], heap[child], owner)) child++;
                if (!before(heap[child], last, owner)) break;
                heap[at] = heap[child];
                heapIndex[heap[at]] = at;
                at = child;
            }
            heap[at] = last;
            heapIndex[last] = at;
        }
        return top;
    }
}
