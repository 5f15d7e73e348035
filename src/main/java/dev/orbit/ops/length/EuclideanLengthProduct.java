package dev.orbit.ops.length;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

import dev.orbit.geometry.LayerIsometry;
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
 * The Euclidean length product, {@code dev.orbit::EuclideanLengthProduct}: Y[b, k] = Σⱼ |σ·e_j(X[b, j]) + t − W[k, j]|.
 * <ul>
 * <li>Input 0, X [batch, m]; input 1, W [k, m]; input 2 (embedding "affine" only), [m, 2]: per-feature (a, b).</li>
 * <li>Attribute {@code embedding}: "identity" (fixed, x ↦ x) or "affine" (learnable, x ↦ a·x + b).</li>
 * <li>Attribute {@code frame}, float64 [2]: (σ, t) with σ = ±1, the isometry x ↦ σx + t of the line (default (1, 0)).</li>
 * </ul>
 * Symmetry rule: an isometry g of the line maps W ↦ g(W) and the frame to g∘frame; since |g(a) − g(b)| = |a − b|,
 * Y is unchanged. The derivative of |·| at 0 is taken as 0 (libtorch's choice, a subgradient).
 */
public final class EuclideanLengthProduct implements Op {
    public static final String OP = "EuclideanLengthProduct";

    @Override public String opType() { return OP; }

    @Override public String domain() { return HyperbolicLengthProduct.DOMAIN; }

    public static boolean affine(Node node) {
        String e = node.attributes().getString("embedding", "identity").toLowerCase(Locale.ROOT);
        return switch (e) {
            case "identity" -> false;
            case "affine" -> true;
            default -> throw new ModelFormatException(OP + " node '" + node.label() + "': unknown embedding '" + e + "' (identity, affine)");
        };
    }

    /** (σ, t). */
    public static double[] frame(Node node) {
        NdArray f = node.attributes().getTensor("frame");
        if (f == null) return new double[] {1, 0};
        if (f.size() != 2 || Math.abs(f.getAsDouble(0)) != 1) {
            throw new ShapeException(OP + " node '" + node.label() + "': frame must be (±1, t), got " + f);
        }
        return new double[] {f.getAsDouble(0), f.getAsDouble(1)};
    }

    @Override
    public List<ValueType> infer(Node node, InferContext ctx) {
        ValueType x = ctx.require(node, 0);
        ValueType w = ctx.require(node, 1);
        if (x.rank() != 2 || w.rank() != 2) {
            throw new ShapeException(OP + " node '" + node.label() + "' needs X [batch, m] and W [k, m], got " + x.shape() + " and " + w.shape());
        }
        var m = x.shape().dim(1);
        var wm = w.shape().dim(1);
        if (m.isKnown() && wm.isKnown() && m.size() != wm.size()) {
            throw new ShapeException(OP + " node '" + node.label() + "': X has " + m + " features, W " + wm);
        }
        frame(node);
        if (affine(node)) {
            ValueType e = ctx.require(node, 2);
            if (e.rank() != 2) throw new ShapeException(OP + " node '" + node.label() + "': the affine embedding takes [m, 2], got " + e.shape());
        }
        return OpSupport.one(new ValueType(x.dtype(), Shape.of(x.shape().dim(0), w.shape().dim(0))));
    }

    @Override
    public List<Tensor> evaluate(Node node, EvalContext ctx) {
        Tensor w = ctx.require(node, 1);
        Tensor e = affine(node) ? ctx.require(node, 2) : null;
        double[] f = frame(node);
        return OpSupport.one(LengthChunks.byRows(ctx.require(node, 0), w.size(0) * w.size(1), x -> {
            if (e != null) x = x.mul(e.select(1, 0)).add(e.select(1, 1));
            if (f[0] != 1 || f[1] != 0) x = x.mul(new Scalar(f[0])).add(new Scalar(f[1]));
            return x.unsqueeze(1).sub(w).abs().sum(2);
        }));
    }

    /** The isometry g acting on the layer: W ↦ σ_g·W + t_g, frame ↦ g∘frame. */
    public static HyperbolicLengthProduct.Moved act(Node node, NdArray weights, LayerIsometry g) {
        if (!(g instanceof LayerIsometry.Line line)) {
            throw new IllegalArgumentException(OP + " node '" + node.label() + "' is moved by isometries of the line, not " + g);
        }
        double[] f = frame(node);
        LayerIsometry.Line composed = line.after(new LayerIsometry.Line(f[0], f[1]));
        double[] w = weights.toDoubleArray();
        for (int i = 0; i < w.length; i++) w[i] = line.apply(w[i]);
        NdArray moved = weights.dtype() == DType.FLOAT64 ? NdArray.ofDoubles(w, weights.shape())
                : NdArray.ofFloats(HyperbolicLengthProduct.toFloats(w), weights.shape());
        NdArray frame = NdArray.ofDoubles(new double[] {composed.sign(), composed.shift()}, 2);
        return new HyperbolicLengthProduct.Moved(node.withAttributes(node.attributes().with("frame", new Attr.TensorValue(frame))), moved);
    }

    /** Standard ONNX: Mul/Add for the embedding and frame, Unsqueeze, Sub, Abs, ReduceSum. */
    public static OnnxSubgraph.Expansion expand(Node node, Map<String, NdArray> params, DType dtype) {
        NdArray weights = HyperbolicLengthProduct.constantInput(node, params, 1);
        OnnxSubgraph s = new OnnxSubgraph(node.name().isEmpty() ? node.output(0) : node.name(), dtype);
        String x = node.input(0);
        int m = (int) weights.dim(1);
        if (affine(node)) {
            double[] e = HyperbolicLengthProduct.constantInput(node, params, 2).toDoubleArray();
            double[] a = new double[m], b = new double[m];
            for (int j = 0; j < m; j++) {
                a[j] = e[2 * j];
                b[j] = e[2 * j + 1];
            }
            x = s.op("Add", s.op("Mul", x, s.constant("embed_a", a, new long[] {m})), s.constant("embed_b", b, new long[] {m}));
        }
        double[] f = frame(node);
        if (f[0] != 1 || f[1] != 0) x = s.op("Add", s.op("Mul", x, s.scalar("sign", f[0])), s.scalar("shift", f[1]));
        String d = s.op("Sub", s.op("Unsqueeze", x, s.longs("axes_unsqueeze", 1)), s.constant("w", weights.toDoubleArray(), weights.shape()));
        s.opTo(node.output(0), "ReduceSum", Attributes.NONE.with("keepdims", new Attr.Int(0)), s.op("Abs", d), s.longs("axes", 2));
        return s.build();
    }
}
