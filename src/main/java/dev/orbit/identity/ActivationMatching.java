package dev.orbit.identity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.orbit.graph.Model;
import dev.orbit.numeric.LinearAssignment;
import dev.orbit.symmetry.SymmetryAnalysis;
import dev.orbit.tensor.NdArray;

/**
 * Activation matching (git re-basin's second method): per channel-by-channel permutation class, the units of B are
 * assigned to those of A by the largest total Pearson correlation of their values on data, summed over every hidden
 * value that carries the class ({@link Activations#sites}: pre- and post-activations, normalised values, every
 * block of a residual stream). A unit's values do not depend on how other layers are permuted, so each class is
 * solved once, without coordinate descent. Correlations are invariant to positive unit scaling.
 */
final class ActivationMatching {
    static final int BATCH = 250;

    private ActivationMatching() {}

    /** Class → permutation (entry j: B's unit that becomes unit j); {@code a} has B's graph with A's weights. */
    static Map<Integer, int[]> permutations(SymmetryAnalysis analysis, Model b, Model a, NdArray data, boolean single, List<String> notes) {
        List<Activations.Site> sites = Activations.sites(analysis, b, data);
        Map<Integer, int[]> out = new TreeMap<>();
        if (sites.isEmpty()) {
            notes.add("activation matching: no hidden value carries a permutable class; weights decide");
            return out;
        }
        List<String> values = sites.stream().map(Activations.Site::value).distinct().toList();
        Map<Activations.Site, Moments> moments = new LinkedHashMap<>();
        for (Activations.Site s : sites) moments.put(s, new Moments(Math.toIntExact(s.space().size())));
        long n = data.dim(0);
        var ea = Activations.evaluator(a, values);
        var eb = Activations.evaluator(b, values);
        for (long from = 0; from < n; from += BATCH) {
            NdArray x = Activations.rows(data, from, Math.min(n, from + BATCH));
            Map<String, NdArray> va = Activations.run(ea, x);
            Map<String, NdArray> vb = Activations.run(eb, x);
            for (var e : moments.entrySet()) {
                Activations.Site s = e.getKey();
                NdArray ya = va.get(s.value());
                NdArray yb = vb.get(s.value());
                e.getValue().add(Activations.channelsLast(ya.toDoubleArray(), ya.shape(), s.axis()),
                        Activations.channelsLast(yb.toDoubleArray(), yb.shape(), s.axis()), single);
            }
        }
        Map<Integer, double[]> corr = new TreeMap<>();
        for (var e : moments.entrySet()) {
            int c = e.getKey().space().permClass();
            int m = e.getValue().c;
            double[] sum = corr.computeIfAbsent(c, k -> new double[m * m]);
            double[] r = e.getValue().correlations();
            for (int i = 0; i < r.length; i++) sum[i] += r[i];
        }
        for (var e : corr.entrySet()) {
            int m = (int) Math.round(Math.sqrt(e.getValue().length));
            out.put(e.getKey(), LinearAssignment.maximize(e.getValue(), m, m).columnOfRow());
        }
        long classes = analysis.spaces().stream().filter(s -> s.permutable()).map(s -> s.permClass()).distinct().count();
        if (out.size() < classes) notes.add("activation matching: " + (classes - out.size()) + " of " + classes
                + " permutable classes carried by no hidden value; weights decide those");
        return out;
    }

    /** Running sums for the correlations of A's channels (rows) with B's channels (columns). */
    private static final class Moments {
        final int c;
        long count;
        final double[] sa;
        final double[] sb;
        final double[] qa;
        final double[] qb;
        final double[] ab;

        Moments(int c) {
            this.c = c;
            sa = new double[c];
            sb = new double[c];
            qa = new double[c];
            qb = new double[c];
            ab = new double[c * c];
        }

        /** {@code a}, {@code b}: [rows, c] (channels last). */
        void add(double[] a, double[] b, boolean single) {
            int rows = a.length / c;
            count += rows;
            for (int r = 0; r < rows; r++) {
                for (int k = 0; k < c; k++) {
                    double x = a[r * c + k];
                    double y = b[r * c + k];
                    sa[k] += x;
                    sb[k] += y;
                    qa[k] += x * x;
                    qb[k] += y * y;
                }
            }
            CrossProducts.accumulate(ab, transpose(a, rows), transpose(b, rows), c, rows, single);
        }

        private double[] transpose(double[] v, int rows) {
            double[] t = new double[v.length];
            for (int r = 0; r < rows; r++) for (int k = 0; k < c; k++) t[k * rows + r] = v[r * c + k];
            return t;
        }

        /** Pearson correlations; a constant channel (a dead unit) correlates 0 with everything. */
        double[] correlations() {
            double[] r = new double[c * c];
            double[] ma = new double[c];
            double[] mb = new double[c];
            double[] sda = new double[c];
            double[] sdb = new double[c];
            for (int k = 0; k < c; k++) {
                ma[k] = sa[k] / count;
                mb[k] = sb[k] / count;
                sda[k] = Math.sqrt(Math.max(0, qa[k] / count - ma[k] * ma[k]));
                sdb[k] = Math.sqrt(Math.max(0, qb[k] / count - mb[k] * mb[k]));
            }
            for (int i = 0; i < c; i++) {
                for (int j = 0; j < c; j++) {
                    double den = sda[i] * sdb[j];
                    r[i * c + j] = den > 1e-12 ? (ab[i * c + j] / count - ma[i] * mb[j]) / den : 0;
                }
            }
            return r;
        }
    }
}
