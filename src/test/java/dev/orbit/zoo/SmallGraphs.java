package dev.orbit.zoo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import dev.orbit.graph.Attr;
import dev.orbit.graph.Attributes;
import dev.orbit.graph.Dim;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueInfo;
import dev.orbit.graph.ValueType;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/**
 * Hand-built graphs for the mutation property (beside the zoo files): an MLP on [B, 16], a CNN on [B, 3, 8, 8], a
 * token MLP on [B, 5, 8] whose channels sit on the last axis, and a pre-norm residual stream on an NHWC grid read by
 * an NCHW classifier head (Swin's and ConvNeXt's torchvision head). Random weights, fixed seeds, opset 17.
 */
final class SmallGraphs {
    private SmallGraphs() {}

    static List<Model> all() { return List.of(mlp(), cnn(), tokens(), channelLastStream(false, Head.AVERAGE_POOL)); }

    private static NdArray random(SplittableRandom r, long... shape) {
        long n = 1;
        for (long d : shape) n *= d;
        float[] v = new float[Math.toIntExact(n)];
        double fanIn = shape.length > 1 ? n / shape[0] : 4;
        for (int i = 0; i < v.length; i++) v[i] = (float) (r.nextGaussian() / Math.sqrt(fanIn));
        return NdArray.ofFloats(v, shape);
    }

    private static Model model(String name, long[] inShape, List<Node> nodes, Map<String, NdArray> params) {
        Dim[] dims = new Dim[inShape.length];
        dims[0] = Dim.symbol("batch");
        for (int a = 1; a < dims.length; a++) dims[a] = Dim.of(inShape[a]);
        var x = new ValueInfo("x", new ValueType(DType.FLOAT32, Shape.of(dims)));
        var y = new ValueInfo(nodes.getLast().output(0), new ValueType(DType.FLOAT32, null));
        return new Model(new Graph(name, List.of(x), List.of(y), nodes, params, Map.of(), ""), Map.of("", 17L), Model.ModelInfo.orbit());
    }

    private static Node op(String type, String out, String... in) { return new Node(out, type, List.of(in), List.of(out), Attributes.NONE); }

    private static Node op(String type, String out, Attributes a, String... in) { return new Node(out, type, List.of(in), List.of(out), a); }

    static Model mlp() {
        var r = new SplittableRandom(151);
        Map<String, NdArray> p = new LinkedHashMap<>();
        p.put("w1", random(r, 12, 16));
        p.put("b1", random(r, 12));
        p.put("w2", random(r, 8, 12));
        p.put("b2", random(r, 8));
        p.put("w3", random(r, 4, 8));
        p.put("b3", random(r, 4));
        var transB = Attributes.NONE.with("transB", new Attr.Int(1));
        return model("mlp", new long[] {0, 16}, List.of(
                new Node("h1", "Gemm", List.of("x", "w1", "b1"), List.of("h1"), transB), op("Relu", "a1", "h1"),
                new Node("h2", "Gemm", List.of("a1", "w2", "b2"), List.of("h2"), transB), op("Tanh", "a2", "h2"),
                new Node("y", "Gemm", List.of("a2", "w3", "b3"), List.of("y"), transB)), p);
    }

    static Model cnn() {
        var r = new SplittableRandom(152);
        Map<String, NdArray> p = new LinkedHashMap<>();
        p.put("k1", random(r, 8, 3, 3, 3));
        p.put("c1", random(r, 8));
        p.put("k2", random(r, 8, 8, 3, 3));
        p.put("c2", random(r, 8));
        p.put("w", random(r, 4, 8));
        p.put("b", random(r, 4));
        var pad = Attributes.NONE.with("pads", new Attr.Ints(new long[] {1, 1, 1, 1}));
        return model("cnn", new long[] {0, 3, 8, 8}, List.of(
                new Node("h1", "Conv", List.of("x", "k1", "c1"), List.of("h1"), pad), op("Relu", "a1", "h1"),
                new Node("h2", "Conv", List.of("a1", "k2", "c2"), List.of("h2"), pad), op("Relu", "a2", "h2"),
                op("GlobalAveragePool", "g", "a2"), new Node("f", "Flatten", List.of("g"), List.of("f"), Attributes.NONE),
                new Node("y", "Gemm", List.of("f", "w", "b"), List.of("y"), Attributes.NONE.with("transB", new Attr.Int(1)))), p);
    }

    static Model tokens() {
        var r = new SplittableRandom(153);
        Map<String, NdArray> p = new LinkedHashMap<>();
        p.put("w1", random(r, 8, 12));
        p.put("b1", random(r, 12));
        p.put("w2", random(r, 12, 6));
        return model("tokens", new long[] {0, 5, 8}, List.of(
                op("MatMul", "m1", "x", "w1"), op("Add", "h1", "m1", "b1"), op("Sigmoid", "s1", "h1"), op("Mul", "a1", "h1", "s1"),
                op("MatMul", "y", "a1", "w2")), p);
    }

    /** How {@link #channelLastStream} reads its last norm: the channels are moved to axis 1 first (NCHW). */
    enum Head {
        /** Transpose(0, 3, 1, 2) → GlobalAveragePool → Flatten → Gemm (torchvision's Swin). */
        AVERAGE_POOL,
        /** Transpose(0, 3, 1, 2) → ReduceMean over H, W (kept) → Reshape [-1, C] → MatMul + Add. */
        REDUCE_MEAN,
        /** Transpose(0, 3, 1, 2) → GlobalMaxPool → Flatten → Gemm: not linear in the channels, no rotation passes. */
        MAX_POOL
    }

    /**
     * A pre-norm residual stream of 8 channels on a 4×4 grid, channels last: x [B, 4, 4, 6] → linear embedding → one
     * block (norm → 8→16 MLP with ReLU → add) → final norm → {@code head}. Norms: LayerNormalization ops with gains and
     * biases ({@code layerNorm}), or gain-free RMSNorms written out (Pow/ReduceMean/Add/Sqrt/Div), whose stream
     * rotates as it is.
     */
    static Model channelLastStream(boolean layerNorm, Head head) {
        var r = new SplittableRandom(154);
        Map<String, NdArray> p = new LinkedHashMap<>();
        p.put("we", random(r, 6, 8));
        p.put("be", random(r, 8));
        p.put("w1", random(r, 8, 16));
        p.put("c1", random(r, 16));
        p.put("w2", random(r, 16, 8));
        p.put("c2", random(r, 8));
        p.put("wh", random(r, 4, 8));
        p.put("bh", random(r, 4));
        List<Node> nodes = new ArrayList<>();
        nodes.add(op("MatMul", "e", "x", "we"));
        nodes.add(op("Add", "s0", "e", "be"));
        norm(nodes, p, r, layerNorm, "s0", "n1");
        nodes.add(op("MatMul", "h", "n1", "w1"));
        nodes.add(op("Add", "hb", "h", "c1"));
        nodes.add(op("Relu", "a", "hb"));
        nodes.add(op("MatMul", "m", "a", "w2"));
        nodes.add(op("Add", "mb", "m", "c2"));
        nodes.add(op("Add", "s1", "s0", "mb"));
        norm(nodes, p, r, layerNorm, "s1", "n2");
        nodes.add(op("Transpose", "nchw", Attributes.NONE.with("perm", new Attr.Ints(new long[] {0, 3, 1, 2})), "n2"));
        var transB = Attributes.NONE.with("transB", new Attr.Int(1));
        switch (head) {
            case AVERAGE_POOL, MAX_POOL -> {
                nodes.add(op(head == Head.AVERAGE_POOL ? "GlobalAveragePool" : "GlobalMaxPool", "pooled", "nchw"));
                nodes.add(op("Flatten", "flat", "pooled"));
                nodes.add(op("Gemm", "y", transB, "flat", "wh", "bh"));
            }
            case REDUCE_MEAN -> {
                p.put("wh", random(r, 8, 4));
                p.put("rows", NdArray.ofLongs(new long[] {-1, 8}, 2));
                nodes.add(op("ReduceMean", "pooled", Attributes.NONE.with("axes", new Attr.Ints(new long[] {2, 3})), "nchw"));
                nodes.add(op("Reshape", "flat", "pooled", "rows"));
                nodes.add(op("MatMul", "yw", "flat", "wh"));
                nodes.add(op("Add", "y", "yw", "bh"));
            }
        }
        return model("stream_" + head.name().toLowerCase() + (layerNorm ? "_layernorm" : "_rmsnorm"), new long[] {0, 4, 4, 6}, nodes, p);
    }

    /** {@code out} = a norm of {@code in} over its last axis: LayerNormalization with gain and bias, or a gain-free RMSNorm. */
    private static void norm(List<Node> nodes, Map<String, NdArray> p, SplittableRandom r, boolean layerNorm, String in, String out) {
        if (layerNorm) {
            float[] gain = new float[8];
            for (int i = 0; i < gain.length; i++) gain[i] = (float) (0.5 + r.nextDouble());
            p.put(out + "_gain", NdArray.ofFloats(gain, 8));
            p.put(out + "_bias", random(r, 8));
            nodes.add(op("LayerNormalization", out, Attributes.NONE.with("axis", new Attr.Int(-1)), in, out + "_gain", out + "_bias"));
            return;
        }
        p.putIfAbsent("two", NdArray.ofFloats(new float[] {2}));
        p.putIfAbsent("eps", NdArray.ofFloats(new float[] {1e-6f}));
        nodes.add(op("Pow", out + "_sq", in, "two"));
        nodes.add(op("ReduceMean", out + "_ms", Attributes.NONE.with("axes", new Attr.Ints(new long[] {-1})), out + "_sq"));
        nodes.add(op("Add", out + "_mse", out + "_ms", "eps"));
        nodes.add(op("Sqrt", out + "_rms", out + "_mse"));
        nodes.add(op("Div", out, in, out + "_rms"));
    }
}
