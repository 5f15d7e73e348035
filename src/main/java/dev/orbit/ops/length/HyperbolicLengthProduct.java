package dev.orbit.ops.length;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

import dev.orbit.geometry.HnPoint;
import dev.orbit.geometry.LayerIsometry;
import dev.orbit.geometry.Psl2R;
import dev.orbit.graph.Attr;
import dev.orbit.graph.Attributes;
import dev.orbit.graph.ModelFormatException;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ShapeException;
import dev.orbit.graph.ValueType;
import dev.orbit.ops.EvalContext;
import dev.orbit.ops.InferContext;
import dev.orbit.ops.Op;
import dev.orbit.ops.OpSupport;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/**
 * The hyperbolic-length product, Orbit's own op {@code dev.orbit::HyperbolicLengthProduct}:
 * Y[b, k] = Σⱼ d_H(F·e_j(X[b, j]), P(W[k, j])), a sum of hyperbolic distances in the upper half-space Hⁿ.
 * <ul>
 * <li>Input 0, X [batch, m]: real features.</li>
 * <li>Input 1, W [k, m, n]: weight points; coordinates 0…n−2 are stored as they are, the last as its logarithm
 * (P(w) = (w₀, …, w_{n−2}, e^{w_{n−1}})), so every real value is a valid point and training needs no constraint.</li>
 * <li>Input 2 (embedding "affine" only), [m, 3]: per-feature (a, b, c) of the learnable embedding.</li>
 * <li>Attribute {@code embedding}: how a real x reaches Hⁿ before the frame: "horocycle" (fixed, x ↦ (x, 0…, 1)),
 * "geodesic" (fixed, x ↦ (0, …, eˣ)) or "affine" (learnable, x ↦ (a·x + b, 0…, e^c)).</li>
 * <li>Attribute {@code frame}, float64 tensor: [2, 2], a PSL(2,R) matrix applied as a Möbius map (n = 2), or
 * [n+1, n+1], an O⁺(n,1) matrix applied through the hyperboloid. Absent: the identity. The frame is not trained:
 * it is where the group acts on the input side.</li>
 * </ul>
 * Distances are 2·asinh(√(|x−y|² / (4xₙyₙ))); the radicand is floored at 1e-30 so the gradient at coinciding
 * points is 0 rather than NaN (it changes a distance by at most 2e-15). Symmetry rule: an isometry g of Hⁿ maps
 * W ↦ g(W) and F ↦ g∘F, leaving Y unchanged ({@link #act}). Export: {@link #expand} writes the same arithmetic as
 * standard ONNX ops.
 */
public final class HyperbolicLengthProduct implements Op {
    public static final String DOMAIN = "dev.orbit";
    public static final String OP = "HyperbolicLengthProduct";
    static final double FLOOR = 1e-30;

    /** How a real feature is placed in Hⁿ before the frame acts. */
    public enum Embedding {
        HOROCYCLE, GEODESIC, AFFINE;

        public String attribute() { return name().toLowerCase(Locale.ROOT); }

        public static Embedding parse(String s) {
            for (Embedding e : values()) if (e.attribute().equals(s.toLowerCase(Locale.ROOT))) return e;
            throw new IllegalArgumentException("unknown embedding '" + s + "' (horocycle, geodesic, affine)");
        }
    }

    @Override public String opType() { return OP; }

    @Override public String domain() { return DOMAIN; }

    public static Embedding embedding(Node node) {
        try {
            return Embedding.parse(node.attributes().getString("embedding", "horocycle"));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(OP + " node '" + node.label() + "': " + e.getMessage());
        }
    }

    /** The frame as a square matrix of size 2 (Möbius) or n+1 (Lorentz); the identity when absent. */
    public static double[][] frame(Node node, int n) {
        NdArray f = node.attributes().getTensor("frame");
        int size = f == null ? (n == 2 ? 2 : n + 1) : (int) f.dim(0);
        if (f != null && (f.rank() != 2 || f.dim(1) != size || (size != 2 && size != n + 1) || (size == 2 && n != 2))) {
            throw new ShapeException(OP + " node '" + node.label() + "': frame " + f + " fits neither a Möbius map of H² nor an O⁺("
                    + n + ",1) matrix");
        }
        double[][] m = new double[size][size];
        for (int i = 0; i < size; i++) for (int j = 0; j < size; j++) m[i][j] = f == null ? (i == j ? 1 : 0) : f.getAsDouble(i * size + j);
        return m;
    }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        ValueType w = ctx.require(node, 1);
        if (x.rank() != 2 || w.rank() != 3) {
            throw new ShapeException(OP + " node '" + node.label() + "' needs X [batch, m] and W [k, m, n], got " + x.shape() + " and " + w.shape());
        }
        var m = x.shape().dim(1);
        var wm = w.shape().dim(1);
        if (m.isKnown() && wm.isKnown() && m.size() != wm.size()) {
            throw new ShapeException(OP + " node '" + node.label() + "': X has " + m + " features, W points for " + wm);
        }
        if (w.shape().dim(2).isKnown()) {
            long n = w.shape().dim(2).size();
            if (n < 2) throw new ShapeException(OP + " node '" + node.label() + "': points need n ≥ 2 coordinates, W has " + n);
            frame(node, (int) n);
        }
        if (embedding(node) == Embedding.AFFINE) {
            ValueType e = ctx.require(node, 2);
            if (e.rank() != 2 || (e.shape().dim(1).isKnown() && e.shape().dim(1).size() != 3)) {
                throw new ShapeException(OP + " node '" + node.label() + "': the affine embedding takes [m, 3], got " + e.shape());
            }
        }
        return OpSupport.one(new ValueType(x.dtype(), Shape.of(x.shape().dim(0), w.shape().dim(0))));
    }

    // ---------------------------------------------------------------- evaluation (libtorch, differentiable)

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor x = ctx.require(node, 0);
        Tensor w = ctx.require(node, 1);
        Tensor emb = embedding(node) == Embedding.AFFINE ? ctx.require(node, 2) : null;
        return OpSupport.one(LengthChunks.byRows(x, w.size(0) * w.size(1) * w.size(2),
                rows -> lengths(node, rows, w, emb, false)));
    }

    /** Y for a block of rows of X; {@code direct}: always the unfolded formula (tests compare the two). */
    static Tensor lengths(Node node, Tensor x, Tensor w, Tensor emb, boolean direct) {
        int n = (int) w.size(2);
        double[][] f = frame(node, n);
        Tensor u;
        Tensor h;
        switch (embedding(node)) {
            case HOROCYCLE -> {
                u = x;
                h = scalar(x, 1);
            }
            case GEODESIC -> {
                u = scalar(x, 0);
                h = x.exp();
            }
            default -> {
                u = x.mul(emb.select(1, 0)).add(emb.select(1, 1));
                h = emb.select(1, 2).exp();
            }
        }
        Tensor[] c = framed(u, h, f, n);
        return !direct && c[n - 1].dim() < 2 && c[0] != null && c[0].dim() == 2 ? perFeatureHeight(c, w, n) : perSampleHeight(c, w, n);
    }

    /**
     * The common case (identity frame with the horocycle or affine embedding): the embedded height does not vary per
     * sample, so everything but the per-sample coordinate differences folds into [k, m] tensors before the
     * [rows, k, m] passes: with s = 1/(2√(h·q)), r = Σ ((c − w)·s)² + ((h − q)·s)², the second term (and every
     * coordinate that is constant per feature) summed once per weight point. The floor goes on that [k, m] constant
     * part: r ≥ it, so the [rows, k, m] clamp (and its backward) disappears; it moves a radicand only where the
     * constant part is below 1e-30, by at most 1e-30 (a distance by at most 2e-15, as the clamp did).
     * Big passes forward: per varying coordinate a subtraction, a scaling and a multiply-add, then asinh(√·) and the sum.
     */
    private static Tensor perFeatureHeight(Tensor[] c, Tensor w, int n) {
        Tensor q = w.select(2, n - 1).exp();
        Tensor s = c[n - 1].mul(q).mul(new Scalar(4.0)).rsqrt();
        Tensor dh = c[n - 1].sub(q).mul(s);
        Tensor fixed = dh.mul(dh);
        List<Tensor> varying = new java.util.ArrayList<>();
        for (int r = 0; r < n - 1; r++) {
            Tensor wr = w.select(2, r);
            if (c[r] != null && c[r].dim() == 2) {
                varying.add(c[r].unsqueeze(1).sub(wr).mul(s));
                continue;
            }
            Tensor d = (c[r] == null ? wr : c[r].sub(wr)).mul(s);
            fixed = fixed.addcmul(d, d);
        }
        Tensor ratio = fixed.clamp_min(new Scalar(FLOOR));
        for (Tensor d : varying) ratio = ratio.addcmul(d, d);
        return asinhOfRoot(ratio).sum(2).mul(new Scalar(2.0));
    }

    /**
     * asinh(√r) as ln(√r + √(r + 1)): libtorch's float64 asinh is a scalar loop (≈ 45 multiplies' time per element,
     * bench/hyperbolic-vs-mlp.sh), while sqrt and log are vectorised. r ≥ 0, so the sum has no cancellation; for tiny
     * r the logarithm's absolute error stays at rounding level (the same form as the float64 export).
     */
    private static Tensor asinhOfRoot(Tensor r) {
        return r.sqrt().add(r.add(new Scalar(1.0)).sqrt()).log();
    }

    /** Heights that vary per sample (geodesic embedding, or a frame that moves the height): the direct formula. */
    private static Tensor perSampleHeight(Tensor[] c, Tensor w, int n) {
        Tensor sum = null;
        for (int r = 0; r < n - 1; r++) {
            Tensor wr = w.select(2, r);
            Tensor d = c[r] == null ? wr : batched(c[r]).sub(wr);
            Tensor sq = d.mul(d);
            sum = sum == null ? sq : sum.add(sq);
        }
        Tensor q = w.select(2, n - 1).exp();
        Tensor hb = batched(c[n - 1]);
        Tensor dh = hb.sub(q);
        sum = sum.add(dh.mul(dh));
        // the denominator is [k, m] or smaller unless the embedded heights vary per sample: invert it there
        Tensor ratio = sum.mul(hb.mul(q).mul(new Scalar(4.0)).reciprocal());
        return ratio.clamp_min(new Scalar(FLOOR)).sqrt().asinh().sum(2).mul(new Scalar(2.0));
    }

    /** The embedded point's n coordinates (null = identically 0) after the frame. */
    private static Tensor[] framed(Tensor u, Tensor h, double[][] f, int n) {
        Tensor[] c = new Tensor[n];
        if (isIdentity(f)) {
            c[0] = u;
            c[n - 1] = h;
            return c;
        }
        if (f.length == 2) {
            Tensor nr = u.mul(new Scalar(f[0][0])).add(new Scalar(f[0][1]));
            Tensor dr = u.mul(new Scalar(f[1][0])).add(new Scalar(f[1][1]));
            Tensor di = h.mul(new Scalar(f[1][0]));
            Tensor den = dr.mul(dr).add(di.mul(di));
            c[0] = nr.mul(dr).add(h.mul(di).mul(new Scalar(f[0][0]))).div(den);
            c[1] = h.div(den);
            return c;
        }
        Tensor r2 = u.mul(u).add(h.mul(h));
        Tensor twoH = h.mul(new Scalar(2.0));
        Tensor x0 = r2.add(new Scalar(1.0)).div(twoH);
        Tensor x1 = u.div(h);
        Tensor xn = r2.neg().add(new Scalar(1.0)).div(twoH);
        Tensor[] y = new Tensor[n + 1];
        for (int i = 0; i <= n; i++) {
            y[i] = x0.mul(new Scalar(f[i][0])).add(x1.mul(new Scalar(f[i][1]))).add(xn.mul(new Scalar(f[i][n])));
        }
        Tensor height = y[0].add(y[n]).reciprocal();
        for (int i = 0; i < n - 1; i++) c[i] = y[i + 1].mul(height);
        c[n - 1] = height;
        return c;
    }

    /** [batch, m] values gain an axis for the k outputs; per-feature or constant values broadcast as they are. */
    private static Tensor batched(Tensor t) { return t.dim() == 2 ? t.unsqueeze(1) : t; }

    private static Tensor scalar(Tensor like, double v) {
        return NdArray.ofDoubles(new double[] {v}).toTorch().to(like.scalar_type().intern());
    }

    static boolean isIdentity(double[][] f) {
        for (int i = 0; i < f.length; i++) for (int j = 0; j < f.length; j++) if (f[i][j] != (i == j ? 1 : 0)) return false;
        return true;
    }

    // ---------------------------------------------------------------- symmetry rule

    /** A node with its new frame and the moved weight points. */
    public record Moved(Node node, NdArray weights) {}

    /**
     * The group's action on one layer: every weight point P(W[k, j]) ↦ g(P(W[k, j])) and the frame F ↦ g∘F. For
     * H² with a Möbius frame, g is a PSL(2,R) element; with an O⁺(n,1) frame, an isometry of Hⁿ. Weights keep their
     * element type; the log-height moves as s ↦ s − ln|cz + d|² (H²), without a round trip through eˢ.
     */
    public static Moved act(Node node, NdArray weights, LayerIsometry g) {
        int n = (int) weights.dim(2);
        long count = weights.size() / n;
        double[][] f = frame(node, n);
        double[] w = weights.toDoubleArray();
        double[] out = new double[w.length];
        double[][] newFrame;
        switch (g) {
            case LayerIsometry.Mobius(Psl2R m) when f.length == 2 -> {
                for (long p = 0; p < count; p++) {
                    int i = (int) (p * 2);
                    double x = w[i];
                    double y = Math.exp(w[i + 1]);
                    double dr = m.c() * x + m.d();
                    double di = m.c() * y;
                    double den = dr * dr + di * di;
                    out[i] = ((m.a() * x + m.b()) * dr + m.a() * y * di) / den;
                    out[i + 1] = w[i + 1] - Math.log(den);
                }
                Psl2R moved = m.times(new Psl2R(f[0][0], f[0][1], f[1][0], f[1][1]));
                newFrame = new double[][] {{moved.a(), moved.b()}, {moved.c(), moved.d()}};
            }
            case LayerIsometry.HalfSpace(var iso) when f.length == n + 1 && iso.dimension() == n -> {
                double[] pt = new double[n];
                for (long p = 0; p < count; p++) {
                    int i = (int) (p * n);
                    System.arraycopy(w, i, pt, 0, n);
                    pt[n - 1] = Math.exp(w[i + n - 1]);
                    double[] moved = iso.apply(new HnPoint(pt)).coords();
                    System.arraycopy(moved, 0, out, i, n - 1);
                    out[i + n - 1] = Math.log(moved[n - 1]);
                }
                newFrame = dev.orbit.numeric.Matrices.multiply(iso.toLorentz(), f);
            }
            default -> throw new IllegalArgumentException(OP + " node '" + node.label() + "' (points in H" + n + ", "
                    + (f.length == 2 ? "Möbius" : "Lorentz") + " frame) cannot be moved by " + g);
        }
        NdArray moved = weights.dtype() == DType.FLOAT64 ? NdArray.ofDoubles(out, weights.shape())
                : NdArray.ofFloats(toFloats(out), weights.shape());
        return new Moved(node.withAttributes(node.attributes().with("frame", new Attr.TensorValue(matrix(newFrame)))), moved);
    }

    static NdArray matrix(double[][] m) {
        double[] flat = new double[m.length * m.length];
        for (int i = 0; i < m.length; i++) System.arraycopy(m[i], 0, flat, i * m.length, m.length);
        return NdArray.ofDoubles(flat, m.length, m.length);
    }

    static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }

    // ---------------------------------------------------------------- export as standard ONNX

    /**
     * The same computation as standard ONNX ops (opset ≥ 13) in the given float type, so ONNX Runtime runs it. The
     * weights become constants: coordinates as stored, heights precomputed as 4·e^s; the affine embedding's heights
     * as e^c. asinh is ONNX's Asinh in float32; ONNX Runtime has no float64 Asinh kernel, so float64 writes
     * ln(r + √(r² + 1)) (r ≥ 0 here, so no cancellation; for tiny r its absolute error stays at rounding level).
     */
    public static OnnxSubgraph.Expansion expand(Node node, Map<String, NdArray> params, DType dtype) {
        NdArray weights = constantInput(node, params, 1);
        int k = (int) weights.dim(0);
        int m = (int) weights.dim(1);
        int n = (int) weights.dim(2);
        double[][] f = frame(node, n);
        OnnxSubgraph s = new OnnxSubgraph(node.name().isEmpty() ? node.output(0) : node.name(), dtype);
        String x = node.input(0);
        V u;
        V h;
        switch (embedding(node)) {
            case HOROCYCLE -> {
                u = new V(x, 2);
                h = new V(s.scalar("one", 1), 0);
            }
            case GEODESIC -> {
                u = new V(s.scalar("zero", 0), 0);
                h = new V(s.op("Exp", x), 2);
            }
            default -> {
                double[] e = constantInput(node, params, 2).toDoubleArray();
                double[] a = new double[m], b = new double[m], hc = new double[m];
                for (int j = 0; j < m; j++) {
                    a[j] = e[3 * j];
                    b[j] = e[3 * j + 1];
                    hc[j] = Math.exp(e[3 * j + 2]);
                }
                u = new V(s.op("Add", s.op("Mul", x, s.constant("embed_a", a, new long[] {m})), s.constant("embed_b", b, new long[] {m})), 2);
                h = new V(s.constant("embed_height", hc, new long[] {m}), 1);
            }
        }
        V[] c = framed(s, u, h, f, n);
        double[] w = weights.toDoubleArray();
        String sum = null;
        double[] zeroCoords = new double[k * m];
        boolean anyZero = false;
        for (int r = 0; r < n - 1; r++) {
            double[] wr = new double[k * m];
            for (int p = 0; p < k * m; p++) wr[p] = w[p * n + r];
            if (c[r] == null) {
                anyZero = true;
                for (int p = 0; p < k * m; p++) zeroCoords[p] += wr[p] * wr[p];
                continue;
            }
            String d = s.op("Sub", batched(s, c[r]), s.constant("w" + r, wr, new long[] {k, m}));
            String sq = s.op("Mul", d, d);
            sum = sum == null ? sq : s.op("Add", sum, sq);
        }
        if (anyZero) sum = s.op("Add", sum, s.constant("w_fixed_sq", zeroCoords, new long[] {k, m}));
        double[] q = new double[k * m];
        double[] q4 = new double[k * m];
        for (int p = 0; p < k * m; p++) {
            q[p] = Math.exp(w[p * n + n - 1]);
            q4[p] = 4 * q[p];
        }
        String hb = batched(s, c[n - 1]);
        String dh = s.op("Sub", hb, s.constant("height", q, new long[] {k, m}));
        sum = s.op("Add", sum, s.op("Mul", dh, dh));
        String inverse = s.op("Reciprocal", s.op("Mul", hb, s.constant("height4", q4, new long[] {k, m})));
        String ratio = s.op("Clip", s.op("Mul", sum, inverse), s.scalar("floor", FLOOR));
        String r = s.op("Sqrt", ratio);
        String asinh = dtype == DType.FLOAT32 ? s.op("Asinh", r)
                : s.op("Log", s.op("Add", r, s.op("Sqrt", s.op("Add", ratio, s.scalar("one_", 1)))));
        String total = s.op("ReduceSum", Attributes.NONE.with("keepdims", new Attr.Int(0)), asinh, s.longs("axes", 2));
        s.opTo(node.output(0), "Mul", Attributes.NONE, total, s.scalar("two", 2));
        return s.build();
    }

    /** A value name and its rank (0: constant scalar, 1: per feature, 2: per sample and feature). */
    private record V(String name, int rank) {}

    private static String batched(OnnxSubgraph s, V v) {
        return v.rank == 2 ? s.op("Unsqueeze", v.name, s.longs("axes_unsqueeze", 1)) : v.name;
    }

    private static V[] framed(OnnxSubgraph s, V u, V h, double[][] f, int n) {
        V[] c = new V[n];
        if (isIdentity(f)) {
            c[0] = u;
            c[n - 1] = h;
            return c;
        }
        int rank = Math.max(u.rank, h.rank);
        if (f.length == 2) {
            String nr = s.op("Add", s.op("Mul", u.name, s.scalar("fa", f[0][0])), s.scalar("fb", f[0][1]));
            String dr = s.op("Add", s.op("Mul", u.name, s.scalar("fc", f[1][0])), s.scalar("fd", f[1][1]));
            String di = s.op("Mul", h.name, s.scalar("fc_", f[1][0]));
            String den = s.op("Add", s.op("Mul", dr, dr), s.op("Mul", di, di));
            String num = s.op("Add", s.op("Mul", nr, dr), s.op("Mul", s.op("Mul", h.name, di), s.scalar("fa_", f[0][0])));
            c[0] = new V(s.op("Div", num, den), rank);
            c[1] = new V(s.op("Div", h.name, den), rank);
            return c;
        }
        String r2 = s.op("Add", s.op("Mul", u.name, u.name), s.op("Mul", h.name, h.name));
        String twoH = s.op("Mul", h.name, s.scalar("two_h", 2));
        String x0 = s.op("Div", s.op("Add", r2, s.scalar("one_x0", 1)), twoH);
        String x1 = s.op("Div", u.name, h.name);
        String xn = s.op("Div", s.op("Sub", s.scalar("one_xn", 1), r2), twoH);
        String[] y = new String[n + 1];
        for (int i = 0; i <= n; i++) {
            y[i] = s.op("Add", s.op("Add", s.op("Mul", x0, s.scalar("l" + i + "_0", f[i][0])), s.op("Mul", x1, s.scalar("l" + i + "_1", f[i][1]))),
                    s.op("Mul", xn, s.scalar("l" + i + "_n", f[i][n])));
        }
        String height = s.op("Reciprocal", s.op("Add", y[0], y[n]));
        for (int i = 0; i < n - 1; i++) c[i] = new V(s.op("Mul", y[i + 1], height), rank);
        c[n - 1] = new V(height, rank);
        return c;
    }

    static NdArray constantInput(Node node, Map<String, NdArray> params, int i) {
        NdArray a = params.get(node.input(i));
        if (a == null) {
            throw new ModelFormatException(node.opType() + " node '" + node.label() + "': input " + i + " ('" + node.input(i)
                    + "') must be a parameter to export as standard ONNX");
        }
        return a;
    }
}
