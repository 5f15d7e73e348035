package dev.orbit.numeric;

import java.util.Arrays;

/**
 * Dijkstra's shortest augmenting path over reduced costs c[i][j] − u_i − v_j (all ≥ 0), from a free row to the
 * nearest unassigned column, followed by the price update and the flip of the path, as in Jonker and Volgenant.
 * It is exact over all pairs yet reads only candidate pairs ({@link CandidateGraph}): once a row is scanned, its
 * other pairs are represented in the heap by one event at the row's distance plus its floor, a bound on all of
 * them; only when that event comes first is the row read again and its next candidates taken ({@link
 * CandidateGraph#expand}). A step costs O(k log m) instead of the O(m) of reading a whole row.
 *
 * <p>The heap holds columns (keyed by tentative distance) and row events; at equal keys events come first, then
 * unassigned columns, then the lower index. Nodes farther than the nearest unassigned column reached so far could
 * never come first before the search ends, so they are not pushed, which keeps the heap small.
 */
final class AugmentingPathSearch {
    private static final double INF = Double.POSITIVE_INFINITY;

    private final CandidateGraph graph;
    private final Matching matching;
    private final int m;
    private final double[] key; // columns' tentative distances [0, m), then rows' event keys [m, m + n); +inf between searches
    private final double[] rowBase; // of each scanned row: its distance minus its dual
    private final int[] pred;
    private final boolean[] ready;
    private final int[] readyColumn;
    private final int[] touched;
    private final int[] heap, heapIndex; // heapIndex[node] = position in heap, −1 when absent
    private int heapSize, touchedCount;
    private double freeBound; // least distance of an unassigned column reached so far
    /** Rows scanned, candidate pairs relaxed and rows expanded so far: the work, for the solver's choice and {@link SolveTrace}. */
    long steps, relaxations, expansions;

    AugmentingPathSearch(CandidateGraph graph, Matching matching) {
        this.graph = graph;
        this.matching = matching;
        this.m = matching.columns;
        int nodes = m + matching.rows;
        key = new double[nodes];
        rowBase = new double[matching.rows];
        pred = new int[m];
        ready = new boolean[m];
        readyColumn = new int[m];
        touched = new int[nodes];
        heap = new int[nodes];
        heapIndex = new int[nodes];
        Arrays.fill(key, INF);
        Arrays.fill(heapIndex, -1);
    }

    /** Assigns free row {@code f}; false, with nothing changed, when no unassigned column is reachable over finite costs. */
    boolean augment(int f) {
        int[] owner = matching.rowOfColumn;
        double[] price = matching.price;
        int readyCount = 0;
        int sink = -1;
        freeBound = INF;
        scan(f, 0); // the free row's dual is taken as 0: distances start at c[f][j] − v_j
        while (heapSize > 0) {
            int node = pop(owner);
            if (node >= m) { // the row's other pairs may now matter: take its next candidates
                int row = node - m;
                expansions++;
                relax(row, graph.expand(row, price));
                pushEvent(row);
                continue;
            }
            ready[node] = true;
            readyColumn[readyCount++] = node;
            if (owner[node] < 0) {
                sink = node;
                break;
            }
            int row = owner[node]; // reached through its assigned column, so u_row = c[row][node] − v[node]
            scan(row, key[node] - (graph.cost(row, node) - price[node]));
        }
        if (sink >= 0) {
            double total = key[sink];
            for (int r = 0; r < readyCount; r++) {
                int j = readyColumn[r];
                price[j] -= total - key[j];
            }
        }
        for (int r = 0; r < readyCount; r++) ready[readyColumn[r]] = false;
        for (int t = 0; t < touchedCount; t++) key[touched[t]] = INF;
        touchedCount = 0;
        while (heapSize > 0) heapIndex[heap[--heapSize]] = -1;
        if (sink < 0) return false;
        matching.flip(f, sink, pred);
        return true;
    }

    private void scan(int row, double base) {
        steps++;
        rowBase[row] = base;
        relax(row, 0);
        pushEvent(row);
    }

    /** Relaxes the candidates of {@code row} from index {@code from} on. */
    private void relax(int row, int from) {
        int[] owner = matching.rowOfColumn;
        double[] price = matching.price;
        int[] column = graph.column[row];
        double[] cost = graph.cost[row];
        double base = rowBase[row];
        relaxations += graph.size[row] - from;
        for (int e = from, end = graph.size[row]; e < end; e++) {
            int j = column[e];
            if (ready[j]) continue;
            double r = base + cost[e] - price[j];
            if (r < key[j] && (r < freeBound || r == freeBound && owner[j] < 0)) {
                if (key[j] == INF) touched[touchedCount++] = j;
                key[j] = r;
                pred[j] = row;
                if (owner[j] < 0) freeBound = r;
                siftUp(heapIndex[j] >= 0 ? heapIndex[j] : push(j), owner);
            }
        }
    }

    /** Puts the row's remaining pairs in the heap as one event at its distance plus its floor. */
    private void pushEvent(int row) {
        double bound = rowBase[row] + graph.floor[row];
        if (bound == INF || bound > freeBound) return; // +inf: no finite pairs left
        int node = m + row;
        if (key[node] == INF) touched[touchedCount++] = node;
        key[node] = bound;
        siftUp(push(node), matching.rowOfColumn);
    }

    private boolean before(int a, int b, int[] owner) {
        double ka = key[a], kb = key[b];
        if (ka != kb) return ka < kb;
        boolean eventA = a >= m, eventB = b >= m;
        if (eventA != eventB) return eventA;
        if (!eventA) {
            boolean freeA = owner[a] < 0, freeB = owner[b] < 0;
            if (freeA != freeB) return freeA;
        }
        return a < b;
    }

    private int push(int node) {
        heap[heapSize] = node;
        heapIndex[node] = heapSize;
        return heapSize++;
    }

    private void siftUp(int at, int[] owner) {
        int node = heap[at];
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            if (!before(node, heap[parent], owner)) break;
            heap[at] = heap[parent];
            heapIndex[heap[at]] = at;
            at = parent;
        }
        heap[at] = node;
        heapIndex[node] = at;
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
