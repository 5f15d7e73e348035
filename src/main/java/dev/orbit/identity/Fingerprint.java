package dev.orbit.identity;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.HexFormat;
import java.util.List;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.tensor.NdArray;

/**
 * A short orbit-invariant digest of a model (docs/IDENTITY.md, "Fingerprints"). Two parts, both read off the
 * canonical form ({@link CanonicalForm}), so every orbit copy gives the same values up to float rounding:
 * <ol>
 *   <li><b>Hashes on two offset grids.</b> Per weight (ordered by linear-layer depth and shape; weights equal in both
 *       are hashed as a sorted list, so the node list's order does not matter) its shape, log₂ of its RMS and four
 *       projections ⟨x, r_k⟩/‖x‖ on fixed ±1 directions (≈ N(0,1) whatever the tensor) are rounded on a grid of
 *       {@value #GRID} — once as floor(f/δ) (grid A) and once as floor(f/δ + ½) (grid B) — and SHA-256'd. A feature
 *       sitting on a boundary of one grid is half a cell away from the other grid's boundaries, so two copies are
 *       called orbit duplicates when either hash agrees. Canonical copies agree to ≈ 1e-7, so a flip needs a feature
 *       within ≈ 1e-6 cells of a boundary on both grids at once.</li>
 *   <li><b>Balanced-point spectra.</b> The largest {@value #TOP} singular values of each weight matrix of the
 *       canonical model (at its balanced point), which survive small perturbations such as fine-tuning, noise or
 *       quantisation and give {@link #compare}'s similarity.</li>
 * </ol>
 *
 * @param gridA    hash of the features rounded on grid A (16 hex digits)
 * @param gridB    the same on grid B, offset by half a cell
 * @param marginA  smallest distance of a feature to a grid-A boundary, in cells (0 … ½): how near grid A was to flipping
 * @param marginB  the same for grid B
 * @param exact    whether the canonical form is exactly canonical (no tied units, no degenerate bases, no rewrite
 *                 left): where it is not, copies may not share the hash (the spectra still compare)
 */
public record Fingerprint(String gridA, String gridB, int features, double marginA, double marginB,
                          List<LayerSpectrum> spectra, boolean exact, List<String> notes, double seconds) {
    /** Grid cell in feature units: log₂ RMS and projections are O(1), canonical copies differ by ≈ 1e-7. */
    public static final double GRID = 1.0 / 8;
    /** Singular values kept per weight matrix. */
    public static final int TOP = 32;
    static final int PROJECTIONS = 4;

    /** The largest singular values of one weight reshaped to (shape[0], rest), descending. */
    public record LayerSpectrum(String parameter, long[] shape, double[] singularValues) {}

    /**
     * @param sameHash            either grid's hash agrees: orbit duplicates
     * @param spectralSimilarity  mean over weight matrices (paired by position) of 1 − ‖σ_A − σ_B‖/max(‖σ_A‖, ‖σ_B‖),
     *                            clipped at 0; an unpaired or differently shaped matrix counts 0
     */
    public record Comparison(boolean sameHash, double spectralSimilarity, int layers, int layersPaired) {
        /** The similarity score in [0,1]: 1 for orbit duplicates, otherwise the spectral similarity. */
        public double score() { return sameHash ? 1.0 : spectralSimilarity; }
    }

    /** The digest as one printable token: both grids' hashes. */
    public String digest() { return gridA + "." + gridB; }

    public static Fingerprint of(Model model) {
        long start = System.nanoTime();
        CanonicalForm.Result c = CanonicalForm.of(model);
        Model m = c.model();
        List<Weight> weights = new ArrayList<>();
        Map<String, Integer> depth = depths(m.graph());
        for (String name : ParameterPairing.weights(m.graph())) {
            NdArray p = m.graph().parameter(name);
            LayerSpectrum spectrum = p.shape().length >= 2 ? new LayerSpectrum(name, p.shape(), topSingularValues(p)) : null;
            weights.add(new Weight(depth.getOrDefault(name, 0), p.shape(), features(p.toDoubleArray()), spectrum));
        }
        // the order of a graph's node list is not a property of the function (a moved model's list may interleave
        // parallel branches differently, exporters decompose ops): weights go by depth, then shape, then by their own values
        weights.sort(Comparator.comparingInt(Weight::depth).thenComparing(Weight::shape, Arrays::compare)
                .thenComparing(w -> w.spectrum == null ? new double[0] : w.spectrum.singularValues(), Arrays::compare));
        List<LayerSpectrum> spectra = weights.stream().map(Weight::spectrum).filter(java.util.Objects::nonNull).toList();
        List<String> notes = new ArrayList<>(c.notes());
        boolean rewritesLeft = m.graph().nodes().stream().anyMatch(Node::isRewrite);
        boolean exact = c.tiedUnits() == 0 && c.degenerateBases() == 0 && !rewritesLeft;
        if (c.tiedUnits() > 0) notes.add(c.tiedUnits() + " tied units: copies share the hash only if those units are exactly interchangeable");
        if (c.degenerateBases() > 0) notes.add(c.degenerateBases() + " degenerate bases: copies may not share the hash");
        int count = weights.stream().mapToInt(w -> w.features.length).sum();
        List<double[]> features = weights.stream().map(Weight::features).toList();
        return new Fingerprint(hash(weights, 0), hash(weights, 0.5), count, margin(features, 0), margin(features, 0.5),
                spectra, exact, List.copyOf(notes), (System.nanoTime() - start) / 1e9);
    }

    /** A weight of the canonical model: its depth in the graph, shape, hash features and spectrum (null below rank 2). */
    private record Weight(int depth, long[] shape, double[] features, LayerSpectrum spectrum) {}

    /**
     * Per parameter, its depth: the number of linear layers (nodes reading a parameter of rank ≥ 2, rewrites excluded)
     * on the longest chain from the graph's inputs through its first reader. Counting only linear layers makes the
     * depth the same whatever the exporter did around them: a bias in the Gemm or in an Add after a MatMul, a
     * LayerNormalization or its decomposition, teleport rewrite nodes, the node list's order of parallel branches.
     */
    static Map<String, Integer> depths(dev.orbit.graph.Graph g) {
        Map<String, Integer> value = new HashMap<>();
        Map<String, Integer> param = new HashMap<>();
        for (Node n : g.nodes()) {
            int d = 0;
            boolean linear = false;
            for (String in : n.inputs()) {
                d = Math.max(d, value.getOrDefault(in, 0));
                NdArray p = g.parameter(in);
                if (p != null && p.shape().length >= 2 && p.dtype().isFloating()) linear = true;
            }
            int out = linear && !n.isRewrite() ? d + 1 : d;
            for (String in : n.inputs()) if (g.parameter(in) != null) param.putIfAbsent(in, out);
            for (String o : n.outputs()) value.put(o, out);
        }
        return param;
    }

    public static Comparison compare(Fingerprint a, Fingerprint b) {
        boolean same = a.gridA.equals(b.gridA) || a.gridB.equals(b.gridB);
        int layers = Math.max(a.spectra.size(), b.spectra.size());
        int paired = Math.min(a.spectra.size(), b.spectra.size());
        double sum = 0;
        for (int i = 0; i < paired; i++) sum += similarity(a.spectra.get(i), b.spectra.get(i));
        return new Comparison(same, layers == 0 ? (same ? 1 : 0) : sum / layers, layers, paired);
    }

    /** 1 − ‖σ_A − σ_B‖/max(‖σ_A‖, ‖σ_B‖), clipped at 0; 0 when the matrices' shapes differ (up to transposition). */
    static double similarity(LayerSpectrum a, LayerSpectrum b) {
        if (!sameMatrixShape(a.shape, b.shape)) return 0;
        double[] x = a.singularValues, y = b.singularValues;
        double diff = 0, nx = 0, ny = 0;
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            double u = i < x.length ? x[i] : 0, v = i < y.length ? y[i] : 0;
            diff += (u - v) * (u - v);
            nx += u * u;
            ny += v * v;
        }
        double scale = Math.sqrt(Math.max(nx, ny));
        return scale == 0 ? 1 : Math.max(0, 1 - Math.sqrt(diff) / scale);
    }

    private static boolean sameMatrixShape(long[] a, long[] b) {
        long ra = a[0], ca = java.util.Arrays.stream(a).reduce(1, (p, q) -> p * q) / a[0];
        long rb = b[0], cb = java.util.Arrays.stream(b).reduce(1, (p, q) -> p * q) / b[0];
        return (ra == rb && ca == cb) || (ra == cb && ca == rb);
    }

    /** log₂ RMS, then the projections on fixed ±1 directions divided by ‖x‖ (each ≈ N(0,1)). */
    static double[] features(double[] x) {
        double ss = 0;
        for (double v : x) ss += v * v;
        double[] f = new double[1 + PROJECTIONS];
        if (ss == 0) {
            f[0] = -1e4; // an all-zero weight: a value no non-zero RMS reaches
            return f;
        }
        double norm = Math.sqrt(ss);
        f[0] = Math.log(norm / Math.sqrt(x.length)) / Math.log(2);
        for (int k = 0; k < PROJECTIONS; k++) {
            double dot = 0;
            for (int i = 0; i < x.length; i++) dot += sign(k, i) * x[i];
            f[1 + k] = dot / norm;
        }
        return f;
    }

    /** A fixed pseudo-random ±1 from (k, i): SplitMix64's finaliser on the pair. */
    private static double sign(int k, int i) {
        long z = (k + 1) * 0x9E3779B97F4A7C15L + i * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z & 1) == 0 ? 1 : -1;
    }

    private static String hash(List<Weight> weights, double offset) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("orbit-fingerprint/2".getBytes(StandardCharsets.UTF_8));
            ByteBuffer b = ByteBuffer.allocate(8);
            int i = 0;
            while (i < weights.size()) {
                // weights of equal depth and shape: their cells as a sorted list, so the hash needs no order among them
                int j = i;
                while (j < weights.size() && weights.get(j).depth == weights.get(i).depth && Arrays.equals(weights.get(j).shape, weights.get(i).shape)) j++;
                sha.update(b.clear().putLong(weights.get(i).depth).array());
                for (long d : weights.get(i).shape) sha.update(b.clear().putLong(d).array());
                List<long[]> cells = new ArrayList<>();
                for (int k = i; k < j; k++) {
                    double[] f = weights.get(k).features;
                    long[] cell = new long[f.length];
                    for (int q = 0; q < f.length; q++) cell[q] = (long) Math.floor(f[q] / GRID + offset);
                    cells.add(cell);
                }
                cells.sort(Arrays::compare);
                for (long[] cell : cells) for (long x : cell) sha.update(b.clear().putLong(x).array());
                sha.update(b.clear().putLong(-1).array());
                i = j;
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Smallest distance, in cells, of any feature to a boundary of the grid offset by {@code offset}. */
    private static double margin(List<double[]> features, double offset) {
        double m = 0.5;
        for (double[] fs : features) {
            for (double f : fs) {
                double u = f / GRID + offset;
                m = Math.min(m, Math.min(u - Math.floor(u), Math.ceil(u) - u));
            }
        }
        return m;
    }

    /** The largest {@link #TOP} singular values of the weight as a (shape[0], rest) matrix, from its smaller Gram matrix in float64. */
    static double[] topSingularValues(NdArray p) {
        long rows = p.shape()[0];
        long cols = p.size() / rows;
        try (PointerScope scope = new PointerScope()) {
            Tensor w = p.torchView().to(torch.ScalarType.Double).reshape(rows, cols);
            Tensor gram = rows <= cols ? w.matmul(w.t()) : w.t().matmul(w);
            double[] all = NdArray.fromTorch(torch.linalg_eigvalsh(gram)).toDoubleArray();
            int n = all.length;
            int k = Math.min(TOP, n);
            double[] top = new double[k];
            for (int i = 0; i < k; i++) top[i] = Math.sqrt(Math.max(0, all[n - 1 - i]));
            return top;
        }
    }
}
