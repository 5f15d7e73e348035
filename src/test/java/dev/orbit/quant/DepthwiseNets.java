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
 * Test models: a small MobileNet-style block, conv → BN → ReLU6 → depthwise conv → BN → ReLU6 → 1×1 conv → BN →
 * ReLU6 → global average pool → Gemm, on [N, 3, 8, 8] inputs, with random weights whose depthwise channels differ
 * in range by {@code spread} (log-uniform factors), the situation where per-tensor int8 fails and CLE helps.
 */
public final class DepthwiseNets {
    private final SplittableRandom rng;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, NdArray> params = new LinkedHashMap<>();
    private final boolean clipAttributes;

    private DepthwiseNets(long seed, boolean clipAttributes) {
        this.rng = new SplittableRandom(seed);
        this.clipAttributes = clipAttributes;
    }

    /** Opset 13, ReLU6 as Clip with scalar bound inputs. */
    public static Model mobileBlock(long seed, double spread) { return new DepthwiseNets(seed, false).build(spread, 13); }

    /** Opset 9: ReLU6 as Clip with min/max attributes. */
    public static Model mobileBlockOpset9(long seed, double spread) { return new DepthwiseNets(seed, true).build(spread, 9); }

    /** conv → ReLU6 → conv, no BatchNorm: the smallest graph where a space passes through Clip(0, 6). */
    public static Model convClipConv(long seed) {
        DepthwiseNets b = new DepthwiseNets(seed, false);
        String x = b.conv("c1", "input", 3, 6, 3, 1, true, 1);
        x = b.relu6("c1.act", x);
        b.conv("c2", x, 6, 4, 3, 1, true, 1, "output");
        return b.model(Shape.of(Dim.symbol("batch"), Dim.of(3), Dim.of(6), Dim.of(6)),
                Shape.of(Dim.symbol("batch"), Dim.of(4), Dim.of(6), Dim.of(6)), 13);
    }

    private Model build(double spread, long opset) {
        String x = conv("conv1", "input", 3, 8, 3, 1, false, 1);
        x = relu6("conv1.act", bn("conv1.bn", x, 8, 1));
        x = conv("dw", x, 8, 8, 3, 8, false, spread);
        x = relu6("dw.act", bn("dw.bn", x, 8, 1));
        x = conv("pw", x, 8, 16, 1, 1, false, 1);
        x = relu6("pw.act", bn("pw.bn", x, 16, 1));
        x = node("pool", "GlobalAveragePool", Attributes.NONE, x);
        x = node("flatten", "Flatten", Attributes.NONE.with("axis", new Attr.Int(1)), x);
        param("fc.weight", normal(new long[] {10, 16}, 1 / Math.sqrt(16), 1));
        param("fc.bias", normal(new long[] {10}, 0.1, 1));
        nodes.add(new Node("fc", "Gemm", List.of(x, "fc.weight", "fc.bias"), List.of("logits"),
                Attributes.NONE.with("transB", new Attr.Int(1))));
        return model(Shape.of(Dim.symbol("batch"), Dim.of(3), Dim.of(8), Dim.of(8)), Shape.of(Dim.symbol("batch"), Dim.of(10)), opset);
    }

    private Model model(Shape in, Shape out, long opset) {
        Graph g = new Graph("mobile", List.of(new ValueInfo("input", new ValueType(DType.FLOAT32, in))),
                List.of(new ValueInfo(out.rank() == 2 ? "logits" : "output", new ValueType(DType.FLOAT32, out))), nodes, params, Map.of(), "");
        return new Model(g, Map.of("", opset), Model.ModelInfo.orbit());
    }

    private String conv(String name, String x, int in, int out, int k, int group, boolean bias, double spread) {
        return conv(name, x, in, out, k, group, bias, spread, name);
    }

    /** Weights N(0, 2/fan_in), each output channel times a log-uniform factor in [1/spread, spread]. */
    private String conv(String name, String x, int in, int out, int k, int group, boolean bias, double spread, String output) {
        long[] shape = {out, in / group, k, k};
        NdArray w = normal(shape, Math.sqrt(2.0 / (in / group * k * k)), spread);
        param(name + ".weight", w);
        List<String> ins = new ArrayList<>(List.of(x, name + ".weight"));
        if (bias) {
            param(name + ".bias", normal(new long[] {out}, 0.1, 1));
            ins.add(name + ".bias");
        }
        Attributes at = Attributes.NONE.with("kernel_shape", new Attr.Ints(new long[] {k, k}))
                .with("pads", new Attr.Ints(new long[] {k / 2, k / 2, k / 2, k / 2})).with("group", new Attr.Int(group));
        nodes.add(new Node(name, "Conv", ins, List.of(output), at));
        return output;
    }

    private String bn(String name, String x, int c, double spread) {
        float[] gamma = new float[c], beta = new float[c], mean = new float[c], var = new float[c];
        for (int i = 0; i < c; i++) {
            gamma[i] = (float) (0.5 + rng.nextDouble());
            beta[i] = (float) (0.5 * rng.nextGaussian() + 0.5);
            mean[i] = (float) (0.3 * rng.nextGaussian());
            var[i] = (float) (0.5 + rng.nextDouble());
        }
        param(name + ".scale", NdArray.ofFloats(gamma, c));
        param(name + ".bias", NdArray.ofFloats(beta, c));
        param(name + ".mean", NdArray.ofFloats(mean, c));
        param(name + ".var", NdArray.ofFloats(var, c));
        return node(name, "BatchNormalization", Attributes.NONE.with("epsilon", new Attr.Float(1e-5f)), x, name + ".scale",
                name + ".bias", name + ".mean", name + ".var");
    }

    private String relu6(String name, String x) {
        if (clipAttributes) {
            return node(name, "Clip", Attributes.NONE.with("min", new Attr.Float(0f)).with("max", new Attr.Float(6f)), x);
        }
        params.putIfAbsent("relu6.min", NdArray.ofFloats(new float[] {0f}));
        params.putIfAbsent("relu6.max", NdArray.ofFloats(new float[] {6f}));
        return node(name, "Clip", Attributes.NONE, x, "relu6.min", "relu6.max");
    }

    private NdArray normal(long[] shape, double std, double spread) {
        int n = Math.toIntExact(NdArray.count(shape));
        int perRow = n / Math.toIntExact(shape[0]);
        float[] v = new float[n];
        for (int r = 0; r < shape[0]; r++) {
            double f = spread == 1 ? 1 : Math.pow(spread, 2 * rng.nextDouble() - 1);
            for (int j = 0; j < perRow; j++) v[r * perRow + j] = (float) (std * f * rng.nextGaussian());
        }
        return NdArray.ofFloats(v, shape);
    }

    private void param(String name, NdArray v) { params.put(name, v); }

    private String node(String name, String op, Attributes at, String... inputs) {
        nodes.add(new Node(name, op, List.of(inputs), List.of(name), at));
        return name;
    }
}
