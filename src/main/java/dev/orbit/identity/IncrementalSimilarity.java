package dev.orbit.identity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Weight matching's similarity S = Σ_f X_f·Y_fᵀ of one permutation class (X_f: the target's slices of feature f,
 * Y_f: the working copy's, one row per unit), kept from one solve of the class to the next and updated instead of
 * formed again. Between two solves, the neighbours' placements permute the other axis of each slice, which changes
 * only some columns K of Y_f (the units the neighbours moved): S += X_f[:,K]·(Y_f[:,K] − Y_f,old[:,K])ᵀ costs |K|/len
 * of a full product. Any change is found (entries are compared exactly), so the update is exact up to rounding; when
 * the changed columns are more than half of the work, S is formed afresh. The class's own placement is mirrored
 * (columns of S, rows of the stored slices). State is kept only within a memory budget (a quarter of the heap).
 */
final class IncrementalSimilarity {
    /** The target's and the working copy's slices of one feature (one tile of it), rows of length {@code length}. */
    record Slices(String key, double[] target, double[] work, int length) {}

    private record State(double[] sim, Map<String, double[]> work, long doubles) {}

    private final boolean single;
    private final Map<Integer, State> states = new HashMap<>();
    private long stored;
    private final long budget = Runtime.getRuntime().maxMemory() / 4 / Double.BYTES;
    /** Multiply-adds spent and saved, for the record. */
    long fullProducts, deltaProducts;

    IncrementalSimilarity(boolean single) { this.single = single; }

    /** S for class {@code permClass} (m units) over {@code slices}; the array is the class's state: read, don't write. */
    double[] similarity(int permClass, int m, List<Slices> slices) {
        State old = states.remove(permClass);
        if (old != null) stored -= old.doubles;
        Map<String, double[]> work = new LinkedHashMap<>();
        for (Slices s : slices) work.put(s.key(), s.work());
        double[] sim = null;
        if (old != null && old.work.keySet().equals(work.keySet())) sim = update(old, m, slices);
        if (sim == null) {
            sim = new double[m * m];
            for (Slices s : slices) {
                CrossProducts.accumulate(sim, s.target(), s.work(), m, s.length(), single);
                fullProducts += (long) m * m * s.length();
            }
        }
        long doubles = (long) m * m;
        for (Slices s : slices) doubles += s.work().length;
        if (stored + doubles <= budget) {
            states.put(permClass, new State(sim, work, doubles));
            stored += doubles;
        }
        return sim;
    }

    /** S updated over the changed columns, or null when forming it afresh costs no more than twice that. */
    private double[] update(State old, int m, List<Slices> slices) {
        List<int[]> changed = new ArrayList<>();
        long changedWork = 0, fullWork = 0;
        for (Slices s : slices) {
            int[] k = changedColumns(s.work(), old.work.get(s.key()), m, s.length());
            changed.add(k);
            changedWork += k.length;
            fullWork += s.length();
        }
        if (2 * changedWork > fullWork) return null;
        double[] sim = old.sim;
        for (int f = 0; f < slices.size(); f++) {
            int[] k = changed.get(f);
            if (k.length == 0) continue;
            Slices s = slices.get(f);
            double[] before = old.work.get(s.key());
            double[] x = new double[m * k.length], d = new double[m * k.length];
            IntStream.range(0, m).parallel().forEach(u -> {
                for (int c = 0; c < k.length; c++) {
                    int at = u * s.length() + k[c];
                    x[u * k.length + c] = s.target()[at];
                    d[u * k.length + c] = s.work()[at] - before[at];
                }
            });
            CrossProducts.accumulate(sim, x, d, m, k.length, single);
            deltaProducts += (long) m * m * k.length;
        }
        return sim;
    }

    /** The columns (positions within a row) where any of the m rows differs; rows read in storage order, in blocks. */
    private static int[] changedColumns(double[] now, double[] before, int m, int length) {
        int block = 64;
        boolean[] changed = IntStream.range(0, (m + block - 1) / block).parallel().mapToObj(b -> {
            boolean[] mine = new boolean[length];
            for (int u = b * block, end = Math.min(m, u + block); u < end; u++) {
                for (int c = 0, at = u * length; c < length; c++, at++) {
                    if (Double.doubleToRawLongBits(now[at]) != Double.doubleToRawLongBits(before[at])) mine[c] = true;
                }
            }
            return mine;
        }).reduce(new boolean[length], (x, y) -> {
            boolean[] z = x.clone();
            for (int c = 0; c < length; c++) z[c] |= y[c];
            return z;
        });
        int n = 0;
        for (boolean b : changed) if (b) n++;
        int[] k = new int[n];
        n = 0;
        for (int c = 0; c < length; c++) if (changed[c]) k[n++] = c;
        return k;
    }

    /** Mirrors the class's placement (working unit p[j] becomes unit j) in its state. */
    void placed(int permClass, int[] p) {
        State s = states.get(permClass);
        if (s == null) return;
        int m = p.length;
        boolean identity = true;
        for (int j = 0; j < m && identity; j++) identity = p[j] == j;
        if (identity) return;
        double[] sim = s.sim;
        IntStream.range(0, m).parallel().forEach(r -> {
            double[] row = java.util.Arrays.copyOfRange(sim, r * m, (r + 1) * m);
            for (int j = 0; j < m; j++) sim[r * m + j] = row[p[j]];
        });
        for (var e : s.work.entrySet()) {
            double[] w = e.getValue();
            int len = w.length / m;
            double[] moved = new double[w.length];
            IntStream.range(0, m).parallel().forEach(j -> System.arraycopy(w, p[j] * len, moved, j * len, len));
            e.setValue(moved);
        }
    }
}
