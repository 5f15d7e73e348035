package dev.orbit.graph.build;

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
import dev.orbit.graph.build.ArchSpec.Layer;
import dev.orbit.ops.Activation;
import dev.orbit.ops.NodeWriter;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;
import dev.orbit.train.Initializer;

/**
 * Builds an ONNX-level {@link Model} (opset 17) from an {@link ArchSpec}, laid out as PyTorch would export it:
 * input "input" of shape [batch, …] with a symbolic batch, output "logits"; Gemm with transB=1 and weights
 * [out, in]; Conv weights [out, in, kh, kw]; BatchNormalization at its initial state (scale 1, bias 0, mean 0,
 * var 1, ε 1e-5, ONNX momentum 0.9 = PyTorch's 0.1). Convolutions followed by BatchNorm have no bias.
 * Names read like PyTorch module paths: {@code fc1.weight}, {@code conv2.bn.mean}, {@code block2.conv1.weight}.
 *
 * <p>Each activation's op writes itself ({@link dev.orbit.ops.ElementwiseOp#write}): most as their single ONNX
 * op; GELU, which opset 17 lacks, as x·½·(1 + erf(x/√2)) (what PyTorch exports at opset 17) and hardtanh as Clip
 * with scalar min/max inputs. Their scalar constants are parameters named {@code gelu.*}/{@code hardtanh.*}; they
 * are part of the activation, not weights. The model's metadata records the spec and the initializer ({@code orbit.arch},
 * {@code orbit.init}, {@code orbit.seed}).
 */
public final class NetworkBuilder {
    public static final String INPUT = "input";
    public static final String OUTPUT = "logits";
    public static final long OPSET = 17;

    private final Initializer init;
    private final SplittableRandom rng;
    private final Activation act;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, NdArray> params = new LinkedHashMap<>();

    private NetworkBuilder(Activation act, Initializer init, long seed) {
        this.act = act;
        this.init = init;
        this.rng = new SplittableRandom(seed);
    }

    /** A network with parameters drawn by {@code init} from a generator seeded with {@code seed}. */
    public static Model build(ArchSpec spec, Initializer init, long seed) {
        NetworkBuilder b = new NetworkBuilder(spec.activation(), init, seed);
        Shape inShape = switch (spec) {
            case ArchSpec.Mlp m -> {
                b.mlp(m);
                yield Shape.of(Dim.symbol("batch"), Dim.of(m.inputs()));
            }
            case ArchSpec.Cnn c -> {
                b.cnn(c);
                yield image(c.input());
            }
            case ArchSpec.ResNet r -> {
                b.resnet(r);
                yield image(r.input());
            }
        };
        var in = new ValueInfo(INPUT, new ValueType(DType.FLOAT32, inShape));
        var out = new ValueInfo(OUTPUT, new ValueType(DType.FLOAT32, Shape.of(Dim.symbol("batch"), Dim.of(spec.outputs()))));
        Graph g = new Graph(family(spec), List.of(in), List.of(out), b.nodes, b.params, Map.of(), "");
        Model.ModelInfo info = Model.ModelInfo.orbit().withMetadata("orbit.arch", spec.toString())
                .withMetadata("orbit.init", init.spec()).withMetadata("orbit.seed", Long.toString(seed));
        return new Model(g, Map.of("", OPSET), info);
    }

    private static String family(ArchSpec spec) {
        return switch (spec) {
            case ArchSpec.Mlp m -> "mlp";
            case ArchSpec.Cnn c -> "cnn";
            case ArchSpec.ResNet r -> "resnet";
        };
    }

    private static Shape image(ArchSpec.Image i) {
        return Shape.of(Dim.symbol("batch"), Dim.of(i.channels()), Dim.of(i.height()), Dim.of(i.width()));
    }

    // ---- the three families ----

    private void mlp(ArchSpec.Mlp spec) {
        List<Integer> w = spec.widths();
        String x = INPUT;
        for (int l = 1; l < w.size(); l++) {
            boolean last = l == w.size() - 1;
            x = linear("fc" + l, x, w.get(l - 1), w.get(l), last);
            if (!last) x = activation("fc" + l + ".act", x);
        }
    }

    private void cnn(ArchSpec.Cnn spec) {
        String x = INPUT;
        long channels = spec.input().channels();
        long h = spec.input().height();
        long w = spec.input().width();
        int conv = 0, pool = 0, fc = 0;
        long features = -1; // width of the flattened vector once past Flatten
        for (Layer layer : spec.layers()) {
            switch (layer) {
                case Layer.Conv(int out, boolean bn) -> {
                    String name = "conv" + ++conv;
                    x = conv(name, x, channels, out, 3, 1, !bn);
                    if (bn) x = batchNorm(name + ".bn", x, out);
                    x = activation(name + ".act", x);
                    channels = out;
                }
                case Layer.Pool() -> {
                    x = maxPool("pool" + ++pool, x);
                    h /= 2;
                    w /= 2;
                }
                case Layer.Dense(int out) -> {
                    if (features < 0) {
                        x = flatten(x);
                        features = channels * h * w;
                    }
                    String name = "fc" + ++fc;
                    x = activation(name + ".act", linear(name, x, features, out, false));
                    features = out;
                }
            }
        }
        if (features < 0) {
            x = flatten(x);
            features = channels * h * w;
        }
        linear("fc" + ++fc, x, features, spec.outputs(), true);
    }

    private void resnet(ArchSpec.ResNet spec) {
        long width = spec.stages().getFirst().width();
        String x = conv("stem.conv", INPUT, spec.input().channels(), width, 3, 1, false);
        x = activation("stem.act", batchNorm("stem.bn", x, width));
        int block = 0;
        for (ArchSpec.Stage stage : spec.stages()) {
            for (int b = 0; b < stage.blocks(); b++) {
                boolean downsample = b == 0 && stage.width() != width;
                x = basicBlock("block" + ++block, x, width, stage.width(), downsample);
                width = stage.width();
            }
        }
        x = node("pool", "GlobalAveragePool", Attributes.NONE, x);
        linear("fc", flatten(x), width, spec.outputs(), true);
    }

    /** conv-bn-act-conv-bn, plus the skip (1×1 conv+bn when the size changes), then act after the add. */
    private String basicBlock(String name, String x, long in, long out, boolean downsample) {
        int stride = downsample ? 2 : 1;
        String y = conv(name + ".conv1", x, in, out, 3, stride, false);
        y = activation(name + ".act1", batchNorm(name + ".bn1", y, out));
        y = batchNorm(name + ".bn2", conv(name + ".conv2", y, out, out, 3, 1, false), out);
        String skip = x;
        if (downsample) {
            skip = conv(name + ".downsample.conv", x, in, out, 1, 2, false);
            skip = batchNorm(name + ".downsample.bn", skip, out);
        }
        return activation(name + ".act", node(name + ".add", "Add", Attributes.NONE, y, skip));
    }

    // ---- layers ----

    /** Gemm with transB=1; the final layer writes "logits". */
    private String linear(String name, String x, long in, long out, boolean last) {
        long[] shape = {out, in};
        var r = rng.split();
        param(name + ".weight", init.weight(shape, r));
        param(name + ".bias", init.bias(shape, r));
        Attributes at = Attributes.NONE.with("transB", new Attr.Int(1));
        return nodeTo(name, "Gemm", at, last ? OUTPUT : name, x, name + ".weight", name + ".bias");
    }

    private String conv(String name, String x, long in, long out, int k, int stride, boolean bias) {
        long[] shape = {out, in, k, k};
        var r = rng.split();
        param(name + ".weight", init.weight(shape, r));
        if (bias) param(name + ".bias", init.bias(shape, r));
        long pad = k / 2;
        Attributes at = Attributes.NONE.with("kernel_shape", new Attr.Ints(new long[] {k, k}))
                .with("strides", new Attr.Ints(new long[] {stride, stride}))
                .with("pads", new Attr.Ints(new long[] {pad, pad, pad, pad}));
        return bias ? node(name, "Conv", at, x, name + ".weight", name + ".bias")
                : node(name, "Conv", at, x, name + ".weight");
    }

    private String batchNorm(String name, String x, long channels) {
        int c = Math.toIntExact(channels);
        float[] ones = new float[c];
        java.util.Arrays.fill(ones, 1f);
        param(name + ".scale", NdArray.ofFloats(ones, c));
        param(name + ".bias", NdArray.ofFloats(new float[c], c));
        param(name + ".mean", NdArray.ofFloats(new float[c], c));
        param(name + ".var", NdArray.ofFloats(ones, c));
        Attributes at = Attributes.NONE.with("epsilon", new Attr.Float(1e-5f)).with("momentum", new Attr.Float(0.9f));
        return node(name, "BatchNormalization", at, x, name + ".scale", name + ".bias", name + ".mean", name + ".var");
    }

    private String maxPool(String name, String x) {
        Attributes at = Attributes.NONE.with("kernel_shape", new Attr.Ints(new long[] {2, 2}))
                .with("strides", new Attr.Ints(new long[] {2, 2}));
        return node(name, "MaxPool", at, x);
    }

    private String flatten(String x) {
        return node("flatten", "Flatten", Attributes.NONE.with("axis", new Attr.Int(1)), x);
    }

    /** The spec's activation after a hidden layer, as its op writes itself; linear adds nothing. */
    private String activation(String name, String x) {
        return act.write(new NodeWriter() {
            @Override public long opset() { return OPSET; }

            @Override public String node(String n, String opType, Attributes attributes, String... inputs) {
                return NetworkBuilder.this.node(n, opType, attributes, inputs);
            }

            @Override public String scalar(String n, double value) { return NetworkBuilder.this.scalar(n, value); }
        }, name, x);
    }

    /** A shared rank-0 float constant, created on first use. */
    private String scalar(String name, double value) {
        params.computeIfAbsent(name, k -> NdArray.ofFloats(new float[] {(float) value}));
        return name;
    }

    private void param(String name, NdArray value) {
        if (params.put(name, value) != null) throw new IllegalStateException("parameter " + name + " defined twice");
    }

    /** A node whose single output value carries the node's name. */
    private String node(String name, String op, Attributes at, String... inputs) {
        return nodeTo(name, op, at, name, inputs);
    }

    private String nodeTo(String name, String op, Attributes at, String output, String... inputs) {
        nodes.add(new Node(name, op, List.of(inputs), List.of(output), at));
        return output;
    }
}
