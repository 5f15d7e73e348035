package dev.orbit.zoo;

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
 * Hand-built graphs for the mutation property (beside the zoo files): an MLP on [B, 16], a CNN on [B, 3, 8, 8] and a
 * token MLP on [B, 5, 8] whose channels sit on the last axis. Random weights, fixed seeds, opset 17.
 */
final class SmallGraphs {
    private SmallGraphs() {}

    static List<Model> all() { return List.of(mlp(), cnn(), tokens()); }

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
}
