package dev.orbit.identity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/**
 * Merging two models of one architecture: B is aligned to A ({@link Alignment}, unless skipped), then the weights
 * are interpolated, M = (1 − α)·A + α·B_aligned, in float64 and stored in A's types. Interpolating collapses the
 * statistics of hidden values (averaged units are less correlated than either end), so:
 * <ul>
 *   <li>nets with BatchNorm get their statistics recomputed on data ({@link #resetBatchNorm}: each BatchNorm in node
 *       order, its input's per-channel mean and variance over the data, with the earlier ones already reset);</li>
 *   <li>nets without BatchNorm can be REPAIRed (Jordan et al., 2022, {@link Repair}): every unit's pre-activation
 *       gets the mean and standard deviation interpolated between the two ends, by rescaling the unit's incoming
 *       weights and shifting its bias.</li>
 * </ul>
 * Data are training digits (never the held-out test digits). The merged model is not a move of either end: it is
 * checked by its loss and accuracy, not by the noise rule.
 */
public final class Merging {
    public enum Correction { NONE, RESET_BATCHNORM, REPAIR }

    /**
     * @param align      how to align B to A; null: interpolate as given (naive)
     * @param correction what to do about the collapsed statistics
     * @param data       inputs the correction reads (training digits shaped for the model); null with NONE
     */
    public record Options(double alpha, Alignment.Options align, Correction correction, NdArray data) {
        public Options {
            if (!(alpha >= 0 && alpha <= 1)) throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
            if (correction != Correction.NONE && data == null) throw new IllegalArgumentException(correction + " needs data");
        }
    }

    /**
     * @param alignment   the alignment of B to A (null when not aligned)
     * @param endA        A (rewrites undone), in the graph the merge uses
     * @param endB        B aligned (or as given), in A's graph: M interpolates endA and endB
     * @param corrected   BatchNorm layers reset, or units REPAIRed
     */
    public record Result(Model merged, Model endA, Model endB, Alignment.Result alignment, Correction correction, int corrected,
                         List<String> notes, double seconds) {}

    private Merging() {}

    public static Result merge(Model a, Model b, Options o) {
        long start = System.nanoTime();
        List<String> notes = new ArrayList<>();
        Model au = CanonicalForm.unteleport(a, new int[1]);
        Alignment.Result al = null;
        Model bm = CanonicalForm.unteleport(b, new int[1]);
        if (o.align() != null) {
            al = Alignment.align(au, bm, o.align());
            bm = al.aligned();
            notes.addAll(al.notes());
        }
        Map<String, NdArray> paired = ParameterPairing.pair(au, bm);
        Model endB = au.withGraph(au.graph().withParameters(paired));
        Model merged = interpolate(au, endB, o.alpha());
        int corrected = 0;
        switch (o.correction()) {
            case NONE -> {}
            case RESET_BATCHNORM -> {
                if (!hasBatchNorm(merged)) throw new IllegalArgumentException("the model has no BatchNorm statistics to reset");
                merged = resetBatchNorm(merged, o.data());
                corrected = batchNorms(merged).size();
            }
            case REPAIR -> {
                if (hasBatchNorm(merged)) throw new IllegalArgumentException("the model has BatchNorm: reset its statistics instead of REPAIR");
                Repair.Outcome r = Repair.plan(au, endB, o.data()).apply(merged, o.alpha());
                merged = r.model();
                corrected = r.units();
                notes.addAll(r.notes());
            }
        }
        return new Result(merged, au, endB, al, o.correction(), corrected, notes, (System.nanoTime() - start) / 1e9);
    }

    /** (1 − t)·a + t·b on every floating-point parameter (a and b share one graph); float64 arithmetic, a's types. */
    public static Model interpolate(Model a, Model b, double t) {
        Map<String, NdArray> out = new LinkedHashMap<>();
        for (var e : a.graph().parameters().entrySet()) {
            NdArray x = e.getValue();
            NdArray y = b.graph().parameter(e.getKey());
            if (!x.dtype().isFloating() || y == null) continue;
            double[] u = x.toDoubleArray();
            double[] v = y.toDoubleArray();
            double[] m = new double[u.length];
            for (int i = 0; i < m.length; i++) m[i] = (1 - t) * u[i] + t * v[i];
            out.put(e.getKey(), NdArray.ofDoubles(m, x.shape()).to(x.dtype()));
        }
        return a.withGraph(a.graph().withParameters(out));
    }

    public static boolean hasBatchNorm(Model m) { return !batchNorms(m).isEmpty(); }

    /** BatchNormalization nodes whose mean and variance are parameters. */
    static List<Node> batchNorms(Model m) {
        List<Node> out = new ArrayList<>();
        for (Node n : m.graph().nodes()) {
            if (n.opType().equals("BatchNormalization") && n.inputs().size() >= 5 && m.graph().isParameter(n.input(3))
                    && m.graph().isParameter(n.input(4))) out.add(n);
        }
        return out;
    }

    /** Each BatchNorm's mean and (population) variance recomputed from its input over {@code data}, in node order. */
    public static Model resetBatchNorm(Model m, NdArray data) {
        Model cur = m;
        for (Node n : batchNorms(m)) {
            double[][] mv = channelMoments(cur, n.input(0), 1, data);
            NdArray mean = cur.graph().parameter(n.input(3));
            NdArray var = cur.graph().parameter(n.input(4));
            cur = cur.withGraph(cur.graph().withParameters(Map.of(
                    n.input(3), NdArray.ofDoubles(mv[0], mean.shape()).to(mean.dtype()),
                    n.input(4), NdArray.ofDoubles(mv[1], var.shape()).to(var.dtype()))));
        }
        return cur;
    }

    /** {mean, population variance} per index of {@code axis} of a value over the data (batches of 250). */
    static double[][] channelMoments(Model m, String value, int axis, NdArray data) {
        return channelMoments(m, List.of(new Activations.Site(value, axis, null)), data).getFirst();
    }

    /** {mean, population variance} per channel of each site's value, from one pass over the data (batches of 250). */
    static List<double[][]> channelMoments(Model m, List<Activations.Site> sites, NdArray data) {
        var e = Activations.evaluator(m, sites.stream().map(Activations.Site::value).distinct().toList());
        double[][] s = new double[sites.size()][];
        double[][] q = new double[sites.size()][];
        long[] count = new long[sites.size()];
        long n = data.dim(0);
        for (long from = 0; from < n; from += ActivationMatching.BATCH) {
            Map<String, NdArray> out = Activations.run(e, Activations.rows(data, from, Math.min(n, from + ActivationMatching.BATCH)));
            for (int i = 0; i < sites.size(); i++) {
                NdArray v = out.get(sites.get(i).value());
                long[] shape = v.shape();
                int axis = sites.get(i).axis();
                int c = Math.toIntExact(shape[axis]);
                double[] last = Activations.channelsLast(v.to(DType.FLOAT64).toDoubleArray(), shape, axis);
                if (s[i] == null) {
                    s[i] = new double[c];
                    q[i] = new double[c];
                }
                int rows = last.length / c;
                for (int r = 0; r < rows; r++) {
                    for (int k = 0; k < c; k++) {
                        double x = last[r * c + k];
                        s[i][k] += x;
                        q[i][k] += x * x;
                    }
                }
                count[i] += rows;
            }
        }
        List<double[][]> result = new ArrayList<>();
        for (int i = 0; i < sites.size(); i++) {
            double[] mean = new double[s[i].length];
            double[] var = new double[s[i].length];
            for (int k = 0; k < mean.length; k++) {
                mean[k] = s[i][k] / count[i];
                var[k] = Math.max(0, q[i][k] / count[i] - mean[k] * mean[k]);
            }
            result.add(new double[][] {mean, var});
        }
        return result;
    }
}
