package dev.orbit.hyperbolic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import dev.orbit.eval.Evaluator;
import dev.orbit.geometry.H2Point;
import dev.orbit.geometry.HnIsometry;
import dev.orbit.geometry.HnPoint;
import dev.orbit.geometry.Hyperboloid;
import dev.orbit.geometry.Psl2R;
import dev.orbit.graph.Attr;
import dev.orbit.graph.Attributes;
import dev.orbit.graph.Dim;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueInfo;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.length.EuclideanLengthProduct;
import dev.orbit.ops.length.HyperbolicLengthProduct;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/** Test helper: one length-product layer with random float64 points, and an independent plain-Java reference. */
record LayerFixture(Model model, String space, String embedding, double[][] frame, int m, int k, int n) {
    static final String X = "x";

    /** space: "h2" (Möbius frame), "hN" (Lorentz frame) or "euclid"; frame: identity or random. */
    static LayerFixture of(String space, String embedding, boolean randomFrame, int m, int k, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        boolean euclid = space.equals("euclid");
        int n = euclid ? 1 : Integer.parseInt(space.substring(1).replace("L", ""));
        Map<String, NdArray> params = new LinkedHashMap<>();
        List<String> inputs = new ArrayList<>(List.of(X, "w"));
        double[] w = new double[k * m * n];
        for (int i = 0; i < w.length; i++) w[i] = rng.nextDouble(-1, 1);
        params.put("w", euclid ? NdArray.ofDoubles(w, k, m) : NdArray.ofDoubles(w, k, m, n));
        if (embedding.equals("affine")) {
            int per = euclid ? 2 : 3;
            double[] e = new double[m * per];
            for (int i = 0; i < e.length; i++) e[i] = rng.nextDouble(-0.8, 0.8) + (i % per == 0 ? 1 : 0);
            params.put("e", NdArray.ofDoubles(e, m, per));
            inputs.add("e");
        }
        double[][] frame;
        if (euclid) frame = new double[][] {{randomFrame ? -1 : 1, randomFrame ? 0.37 : 0}};
        else if (n == 2 && !space.endsWith("L")) {
            Psl2R f = randomFrame ? Psl2R.random(rng, 1) : Psl2R.IDENTITY;
            frame = new double[][] {{f.a(), f.b()}, {f.c(), f.d()}};
        } else frame = randomFrame ? HnIsometry.random(n, rng, 0.8).toLorentz() : dev.orbit.numeric.Matrices.identity(n + 1);
        double[] flat = java.util.Arrays.stream(frame).flatMapToDouble(java.util.Arrays::stream).toArray();
        NdArray frameArray = euclid ? NdArray.ofDoubles(flat, 2) : NdArray.ofDoubles(flat, frame.length, frame.length);
        Attributes at = Attributes.NONE.with("embedding", new Attr.Str(embedding)).with("frame", new Attr.TensorValue(frameArray));
        String op = euclid ? EuclideanLengthProduct.OP : HyperbolicLengthProduct.OP;
        Node node = new Node("lp", op, HyperbolicLengthProduct.DOMAIN, inputs, List.of("y"), at, "");
        var in = new ValueInfo(X, new ValueType(DType.FLOAT64, Shape.of(Dim.symbol("batch"), Dim.of(m))));
        var out = new ValueInfo("y", new ValueType(DType.FLOAT64, Shape.of(Dim.symbol("batch"), Dim.of(k))));
        Graph g = new Graph("layer", List.of(in), List.of(out), List.of(node), params, Map.of(), "");
        return new LayerFixture(new Model(g, Map.of("", 17L, HyperbolicLengthProduct.DOMAIN, 1L), Model.ModelInfo.orbit()),
                space, embedding, frame, m, k, n);
    }

    static NdArray inputs(int batch, int m, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[batch * m];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextDouble(-1.5, 1.5);
        return NdArray.ofDoubles(x, batch, m);
    }

    NdArray evaluate(NdArray x) { return new Evaluator(model).run(Map.of(X, x)).get("y"); }

    /** The layer computed point by point with the geometry classes (a second implementation). */
    double[] reference(NdArray xs) {
        Graph g = model.graph();
        double[] w = g.parameter("w").toDoubleArray();
        double[] e = g.isParameter("e") ? g.parameter("e").toDoubleArray() : null;
        Node node = g.nodes().getFirst();
        double[][] f = space.equals("euclid") ? null : HyperbolicLengthProduct.frame(node, n);
        double[] fr = space.equals("euclid") ? EuclideanLengthProduct.frame(node) : null;
        int batch = (int) xs.dim(0);
        double[] y = new double[batch * k];
        for (int b = 0; b < batch; b++) {
            for (int kk = 0; kk < k; kk++) {
                double s = 0;
                for (int j = 0; j < m; j++) {
                    double x = xs.getDouble((long) b * m + j);
                    if (fr != null) {
                        double base = e == null ? x : e[2 * j] * x + e[2 * j + 1];
                        s += Math.abs(fr[0] * base + fr[1] - w[kk * m + j]);
                        continue;
                    }
                    double[] base = new double[n];
                    switch (embedding) {
                        case "horocycle" -> { base[0] = x; base[n - 1] = 1; }
                        case "geodesic" -> base[n - 1] = Math.exp(x);
                        default -> { base[0] = e[3 * j] * x + e[3 * j + 1]; base[n - 1] = Math.exp(e[3 * j + 2]); }
                    }
                    HnPoint p = new HnPoint(base);
                    if (f.length == 2) {
                        H2Point z = new Psl2R(f[0][0], f[0][1], f[1][0], f[1][1]).apply(new H2Point(base[0], base[1]));
                        p = HnPoint.of(z.x(), z.y());
                    } else {
                        p = Hyperboloid.toHalfSpace(Hyperboloid.apply(f, Hyperboloid.fromHalfSpace(base)));
                    }
                    double[] q = new double[n];
                    int at = (kk * m + j) * n;
                    System.arraycopy(w, at, q, 0, n);
                    q[n - 1] = Math.exp(w[at + n - 1]);
                    s += p.distance(new HnPoint(q));
                }
                y[b * k + kk] = s;
            }
        }
        return y;
    }
}
