package dev.orbit.identity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.symmetry.GroupElement;
import dev.orbit.symmetry.MatrixPart;
import dev.orbit.symmetry.MatrixSampling;
import dev.orbit.symmetry.NeuronSpace;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.symmetry.Sampling;
import dev.orbit.symmetry.Scaling;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.symmetry.SymmetryAnalysis;
import dev.orbit.tensor.NdArray;

/**
 * Keyed copies: each licensee gets the model moved by a secret element derived from (key, id) with HMAC-SHA-256,
 * using only moves that add no node to the graph — permutations of every permutable class, positive factors
 * log-uniform in [½, 2] on spaces whose positive scaling needs no rewrite (positively homogeneous or linear), per-head
 * GL(d) on attention pairs (condition number {@link #CONDITION}) and a Haar rotation of streams that rotate without
 * folding. The copy computes the same function and has the same graph; only the weights differ.
 *
 * <p>Tracing compares a leaked file with every licensee's copy: the relative distance ‖copy − leaked‖/‖leaked‖ over
 * all weights (paired by name, or by order and shape). The licensee is the one with the smallest distance; the
 * confidence is the margin (r₂ − r₁)/r₂ to the second best. An attacker who knows the orbit can erase the key:
 * canonicalising the leaked copy ({@link CanonicalForm}) makes every licensee's copy the same model, and then every
 * distance is the same (docs/IDENTITY.md).
 */
public final class Licensing {
    /** Condition number of the per-head attention matrices. */
    static final double CONDITION = 4;
    private static final String DOMAIN = "orbit-license/1";

    private Licensing() {}

    /** The 64-bit seed HMAC-SHA-256(key, "orbit-license/1" ‖ 0 ‖ id) starts with. */
    static long seed(byte[] key, String id) {
        if (key.length == 0) throw new IllegalArgumentException("the key is empty");
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(DOMAIN.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            byte[] h = mac.doFinal(id.getBytes(StandardCharsets.UTF_8));
            long s = 0;
            for (int i = 0; i < 8; i++) s = s << 8 | (h[i] & 0xFF);
            return s;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The licensee's element for a model's analysis. */
    public static GroupElement element(SymmetryAnalysis a, byte[] key, String id) {
        long seed = seed(key, id);
        SplittableRandom rng = new SplittableRandom(seed);
        Map<Integer, double[]> scales = new TreeMap<>();
        for (NeuronSpace s : a.spaces()) {
            if (s.scaling() == Scaling.NONE || !(s.regions().isEmpty() || s.exactWithoutRewrite())) continue;
            double[] t = new double[Math.toIntExact(s.size())];
            for (int j = 0; j < t.length; j++) t[j] = Math.exp(rng.nextDouble(-Math.log(2), Math.log(2)));
            scales.put(s.id(), t);
        }
        GroupElement p = Sampling.permutations(a, seed ^ 0x9E3779B97F4A7C15L);
        List<MatrixPart> parts = new ArrayList<>();
        if (!a.pairs().isEmpty()) parts.addAll(MatrixSampling.pairs(a, CONDITION, seed ^ 0x51ED270B27L));
        if (!a.rotatableStreams().isEmpty()) parts.addAll(MatrixSampling.rotations(a, MatrixSampling.Rotation.HAAR, seed ^ 0x6A09E667L));
        return new GroupElement(p.permutations(), scales, parts);
    }

    /** The licensee's copy (same graph, no rewrite nodes). */
    public static Model license(Model m, byte[] key, String id) {
        SymmetryAnalysis a = SpaceAnalyzer.analyze(m);
        Model copy = OrbitAction.apply(m, a, element(a, key, id));
        if (copy.graph().nodes().size() != m.graph().nodes().size() || copy.graph().nodes().stream().anyMatch(Node::isRewrite)) {
            throw new IllegalStateException("a licensed copy gained nodes; licences use rewrite-free moves only");
        }
        return copy;
    }

    /**
     * @param distances per id, ‖copy − leaked‖/‖leaked‖ over all paired weights
     */
    public record Trace(String best, double bestDistance, String second, double secondDistance, double margin,
                        Map<String, Double> distances) {}

    /** Every licensee's copy's weights, keyed by the original's parameter names (for repeated traces). */
    public static Map<String, Map<String, double[]>> copies(Model original, byte[] key, List<String> ids) {
        Map<String, Map<String, double[]>> out = new LinkedHashMap<>();
        List<String> weights = ParameterPairing.weights(original.graph());
        for (String id : ids) {
            Model c = license(original, key, id);
            Map<String, double[]> w = new LinkedHashMap<>();
            for (String n : weights) w.put(n, c.graph().parameter(n).toDoubleArray());
            out.put(id, w);
        }
        return out;
    }

    public static Trace trace(Model leaked, Model original, byte[] key, List<String> ids) {
        return trace(leaked, original, copies(original, key, ids));
    }

    public static Trace trace(Model leaked, Model original, Map<String, Map<String, double[]>> copies) {
        if (copies.size() < 2) throw new IllegalArgumentException("tracing needs at least two licensee ids");
        Map<String, NdArray> theirs = ParameterPairing.pair(original, leaked);
        Map<String, double[]> leakedWeights = new LinkedHashMap<>();
        double norm = 0;
        for (var e : theirs.entrySet()) {
            double[] v = e.getValue().toDoubleArray();
            leakedWeights.put(e.getKey(), v);
            for (double x : v) norm += x * x;
        }
        Map<String, Double> d = new LinkedHashMap<>();
        for (var c : copies.entrySet()) {
            double s = 0;
            for (var e : leakedWeights.entrySet()) {
                double[] x = c.getValue().get(e.getKey());
                double[] y = e.getValue();
                for (int i = 0; i < y.length; i++) s += (x[i] - y[i]) * (x[i] - y[i]);
            }
            d.put(c.getKey(), Math.sqrt(s / Math.max(norm, Double.MIN_NORMAL)));
        }
        var sorted = d.entrySet().stream().sorted(Map.Entry.comparingByValue()).toList();
        var b = sorted.get(0);
        var s = sorted.get(1);
        double margin = s.getValue() == 0 ? 0 : (s.getValue() - b.getValue()) / s.getValue();
        return new Trace(b.getKey(), b.getValue(), s.getKey(), s.getValue(), margin, d);
    }
}
