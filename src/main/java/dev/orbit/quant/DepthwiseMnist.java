package dev.orbit.quant;

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
 * A MobileNet-style MNIST classifier, the case where per-tensor int8 fails without equalization: a 3×3 stem conv
 * (stride 2) and two depthwise-separable blocks, each conv followed by BatchNorm and ReLU6 (ONNX {@code Clip(0, 6)}),
 * global average pool, linear. Input "input" [N, 1, 28, 28], output "logits" [N, 10], opset 17, He-normal weights,
 * BatchNorm at its initial state; trained by {@link dev.orbit.train.Trainer} like any model.
 */
public final class DepthwiseMnist {
    private final SplittableRandom rng;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, NdArray> params = new LinkedHashMap<>();

    private DepthwiseMnist(long seed) { this.rng = new SplittableRandom(seed); }

    /** stem 16 (stride 2) → dw 16 → pw 32 → dw 32 (stride 2) → pw 64 → pool → fc 10. */
    public static Model build(long seed) {
        DepthwiseMnist b = new DepthwiseMnist(seed);
        String x = b.block("stem", "input", 1, 16, 3, 2, 1);
        x = b.block("dw1", x, 16, 16, 3, 1, 16);
        x = b.block("pw1", x, 16, 32, 1, 1, 1);
        x = b.block("dw2", x, 32, 32, 3, 2, 32);
        x = b.block("pw2", x, 32, 64, 1, 1, 1);
        x = b.node("pool", "GlobalAveragePool", Attributes.NONE, x);
        x = b.node("flatten", "Flatten", Attributes.NONE.with("axis", new Attr.Int(1)), x);
        b.params.put("fc.weight", b.normal(new long[] {10, 64}, Math.sqrt(1.0 / 64)));
        b.params.put("fc.bias", NdArray.ofFloats(new float[10], 10));
        b.nodes.add(new Node("fc", "Gemm", List.of(x, "fc.weight", "fc.bias"), List.of("logits"),
                Attributes.NONE.with("transB", new Attr.Int(1))));
        b.params.put("relu6.min", NdArray.ofFloats(new float[] {0f}));
        b.params.put("relu6.max", NdArray.ofFloats(new float[] {6f}));
        Graph g = new Graph("depthwise_mnist",
                List.of(new ValueInfo("input", new ValueType(DType.FLOAT32, Shape.of(Dim.symbol("batch"), Dim.of(1), Dim.of(28), Dim.of(28))))),
                List.of(new ValueInfo("logits", new ValueType(DType.FLOAT32, Shape.of(Dim.symbol("batch"), Dim.of(10))))),
                b.nodes, b.params, Map.of(), "");
        return new Model(g, Map.of("", 17L), Model.ModelInfo.orbit().withMetadata("orbit.arch", "depthwise-mnist"));
    }

    /** conv (no bias) → BatchNorm → ReLU6. */
    private String block(String name, String x, int in, int out, int k, int stride, int group) {
        params.put(name + ".weight", normal(new long[] {out, in / group, k, k}, Math.sqrt(2.0 / (in / group * k * k))));
        Attributes at = Attributes.NONE.with("kernel_shape", new Attr.Ints(new long[] {k, k}))
                .with("strides", new Attr.Ints(new long[] {stride, stride}))
                .with("pads", new Attr.Ints(new long[] {k / 2, k / 2, k / 2, k / 2})).with("group", new Attr.Int(group));
        String y = node(name, "Conv", at, x, name + ".weight");
        float[] ones = new float[out];
        java.util.Arrays.fill(ones, 1f);
        params.put(name + ".bn.scale", NdArray.ofFloats(ones, out));
        params.put(name + ".bn.bias", NdArray.ofFloats(new float[out], out));
        params.put(name + ".bn.mean", NdArray.ofFloats(new float[out], out));
        params.put(name + ".bn.var", NdArray.ofFloats(ones.clone(), out));
        y = node(name + ".bn", "BatchNormalization", Attributes.NONE.with("epsilon", new Attr.Float(1e-5f)).with("momentum", new Attr.Float(0.9f)),
                y, name + ".bn.scale", name + ".bn.bias", name + ".bn.mean", name + ".bn.var");
        return node(name + ".act", "Clip", Attributes.NONE, y, "relu6.min", "relu6.max");
    }

    private NdArray normal(long[] shape, double std) {
        float[] v = new float[Math.toIntExact(NdArray.count(shape))];
        for (int i = 0; i < v.length; i++) v[i] = (float) (std * rng.nextGaussian());
        return NdArray.ofFloats(v, shape);
    }

    private String node(String name, String op, Attributes at, String... inputs) {
        nodes.add(new Node(name, op, List.of(inputs), List.of(name), at));
        return name;
    }
}
