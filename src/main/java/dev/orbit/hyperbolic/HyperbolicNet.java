package dev.orbit.hyperbolic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import dev.orbit.geometry.LayerIsometry;
import dev.orbit.graph.Attr;
import dev.orbit.graph.Attributes;
import dev.orbit.graph.Dim;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueInfo;
import dev.orbit.graph.ValueType;
import dev.orbit.numeric.Matrices;
import dev.orbit.ops.length.EuclideanLengthProduct;
import dev.orbit.ops.length.HyperbolicLengthProduct;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/**
 * Networks whose layers use a length product ("method 3": the product is chosen before training), in float64:
 * input [batch, w₀] → for each layer l, {@code lp<l>} (length product, w_{l−1} → w_l) → {@code bn<l>}
 * (BatchNormalization) → … → "logits". No other activation: the distance itself is the non-linearity. BatchNorm
 * rescales the sums of w_{l−1} distances to unit size (as adder networks need); it acts on the layer's outputs,
 * which the group leaves unchanged, so the whole network stays invariant.
 * Initialisation: first-layer points have horizontal coordinates U(0, 1) (the pixel range), later layers N(0, 1)
 * (BatchNorm outputs); extra coordinates of Hⁿ N(0, 0.3²); log-heights N(0, 0.3²); Euclidean points like the
 * horizontal coordinates; the affine embedding starts as the identity (a = 1, b = 0, c = 0).
 */
public final class HyperbolicNet {
    public static final String INPUT = "input";
    public static final String OUTPUT = "logits";
    public static final long OPSET = 17;

    private HyperbolicNet() {}

    /** Widths w₀ (inputs) … w_L (classes), the space of the points and how inputs are embedded. */
    public record Spec(List<Integer> widths, LayerIsometry.Geometry geometry, HyperbolicLengthProduct.Embedding embedding) {
        public Spec {
            widths = List.copyOf(widths);
            if (widths.size() < 2) throw new IllegalArgumentException("a network needs at least an input and an output width");
            for (int w : widths) if (w <= 0) throw new IllegalArgumentException("widths must be positive, got " + widths);
            if (geometry instanceof LayerIsometry.Geometry.Line && embedding == HyperbolicLengthProduct.Embedding.GEODESIC) {
                throw new IllegalArgumentException("the Euclidean length product takes the identity or the affine embedding");
            }
        }

        @Override public String toString() {
            String space = switch (geometry) {
                case LayerIsometry.Geometry.Line l -> "euclid";
                case LayerIsometry.Geometry.Plane p -> "h2";
                case LayerIsometry.Geometry.HalfSpace h -> "h" + h.n() + "-lorentz";
            };
            return space + ":" + String.join("-", widths.stream().map(String::valueOf).toList()) + ":" + embedding.attribute();
        }
    }

    /** "h2" (Möbius frames), "hN" for N ≥ 3 (Lorentz frames), "euclid" (the line). */
    public static LayerIsometry.Geometry parseSpace(String s) {
        String t = s.toLowerCase(Locale.ROOT);
        if (t.equals("euclid") || t.equals("euclidean")) return new LayerIsometry.Geometry.Line();
        if (t.equals("h2")) return new LayerIsometry.Geometry.Plane();
        if (t.matches("h\\d+")) {
            int n = Integer.parseInt(t.substring(1));
            if (n < 3) throw new IllegalArgumentException("space '" + s + "': use h2 for the plane, hN with N ≥ 3 otherwise");
            return new LayerIsometry.Geometry.HalfSpace(n);
        }
        throw new IllegalArgumentException("unknown space '" + s + "' (h2, h3, h4, …, euclid)");
    }

    /** "784-64-10". */
    public static List<Integer> parseWidths(String s) {
        List<Integer> w = new ArrayList<>();
        try {
            for (String p : s.split("-")) w.add(Integer.parseInt(p.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("widths '" + s + "' should look like 784-64-10");
        }
        return w;
    }

    public static Model build(Spec spec, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Node> nodes = new ArrayList<>();
        Map<String, NdArray> params = new LinkedHashMap<>();
        String x = INPUT;
        List<Integer> w = spec.widths();
        for (int l = 1; l < w.size(); l++) {
            int m = w.get(l - 1);
            int k = w.get(l);
            String name = "lp" + l;
            x = lengthProduct(spec, name, x, m, k, l == 1, rng.split(), nodes, params);
            x = batchNorm("bn" + l, x, k, l == w.size() - 1 ? OUTPUT : "bn" + l, nodes, params);
        }
        var in = new ValueInfo(INPUT, new ValueType(DType.FLOAT64, Shape.of(Dim.symbol("batch"), Dim.of(w.getFirst()))));
        var out = new ValueInfo(OUTPUT, new ValueType(DType.FLOAT64, Shape.of(Dim.symbol("batch"), Dim.of(w.getLast()))));
        Graph g = new Graph("length_product_net", List.of(in), List.of(out), nodes, params, Map.of(), "");
        Model.ModelInfo info = Model.ModelInfo.orbit().withMetadata("orbit.arch", spec.toString()).withMetadata("orbit.seed", Long.toString(seed));
        return new Model(g, Map.of("", OPSET, HyperbolicLengthProduct.DOMAIN, 1L), info);
    }

    private static String lengthProduct(Spec spec, String name, String x, int m, int k, boolean first, SplittableRandom rng,
                                        List<Node> nodes, Map<String, NdArray> params) {
        boolean affine = spec.embedding() == HyperbolicLengthProduct.Embedding.AFFINE;
        List<String> inputs = new ArrayList<>(List.of(x, name + ".points"));
        Attributes at = Attributes.NONE.with("embedding", new Attr.Str(spec.embedding().attribute()));
        String op;
        if (spec.geometry() instanceof LayerIsometry.Geometry.Line) {
            double[] p = new double[k * m];
            for (int i = 0; i < p.length; i++) p[i] = horizontal(first, rng);
            params.put(name + ".points", NdArray.ofDoubles(p, k, m));
            if (affine) params.put(name + ".embedding", NdArray.ofDoubles(repeat(new double[] {1, 0}, m), m, 2));
            at = Attributes.NONE.with("embedding", new Attr.Str(affine ? "affine" : "identity"));
            op = EuclideanLengthProduct.OP;
        } else {
            int n = spec.geometry() instanceof LayerIsometry.Geometry.HalfSpace(int d) ? d : 2;
            double[] p = new double[k * m * n];
            for (int i = 0; i < k * m; i++) {
                p[i * n] = horizontal(first, rng);
                for (int r = 1; r < n - 1; r++) p[i * n + r] = 0.3 * rng.nextGaussian();
                p[i * n + n - 1] = 0.3 * rng.nextGaussian();
            }
            params.put(name + ".points", NdArray.ofDoubles(p, k, m, n));
            if (affine) params.put(name + ".embedding", NdArray.ofDoubles(repeat(new double[] {1, 0, 0}, m), m, 3));
            double[][] frame = spec.geometry() instanceof LayerIsometry.Geometry.HalfSpace ? Matrices.identity(n + 1) : Matrices.identity(2);
            at = at.with("frame", new Attr.TensorValue(flat(frame)));
            op = HyperbolicLengthProduct.OP;
        }
        if (affine) inputs.add(name + ".embedding");
        nodes.add(new Node(name, op, HyperbolicLengthProduct.DOMAIN, inputs, List.of(name), at, ""));
        return name;
    }

    private static double horizontal(boolean first, SplittableRandom rng) {
        return first ? rng.nextDouble() : rng.nextGaussian();
    }

    private static String batchNorm(String name, String x, int c, String output, List<Node> nodes, Map<String, NdArray> params) {
        double[] ones = new double[c];
        java.util.Arrays.fill(ones, 1);
        params.put(name + ".scale", NdArray.ofDoubles(ones, c));
        params.put(name + ".bias", NdArray.ofDoubles(new double[c], c));
        params.put(name + ".mean", NdArray.ofDoubles(new double[c], c));
        params.put(name + ".var", NdArray.ofDoubles(ones.clone(), c));
        Attributes at = Attributes.NONE.with("epsilon", new Attr.Float(1e-5f)).with("momentum", new Attr.Float(0.9f));
        nodes.add(new Node(name, "BatchNormalization", List.of(x, name + ".scale", name + ".bias", name + ".mean", name + ".var"),
                List.of(output), at));
        return output;
    }

    private static double[] repeat(double[] unit, int times) {
        double[] r = new double[unit.length * times];
        for (int i = 0; i < times; i++) System.arraycopy(unit, 0, r, i * unit.length, unit.length);
        return r;
    }

    private static NdArray flat(double[][] m) { return NdArray.ofDoubles(Matrices.flatten(m), m.length, m.length); }
}
