package dev.orbit.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.orbit.eval.Evaluator;
import dev.orbit.graph.Attributes;
import dev.orbit.graph.Dim;
import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.graph.Shape;
import dev.orbit.graph.ValueInfo;
import dev.orbit.graph.ValueType;
import dev.orbit.graph.build.NetworkBuilder;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;
import dev.orbit.verify.OrtRunner;

/**
 * Orbit's evaluator against ONNX Runtime on one forward pass, same process, same model bytes, same input, same
 * thread count; array in, array out on both sides. Three workloads (issue 21): a 784-1024-1024-10 MLP at batch
 * 256, the MobileNetV3 block fixture (PyTorch's export) at its own input, and a ResNet-18 body (torchvision's
 * stages [2, 2, 2, 2] at widths 64…512 on a 56×56 input, i.e. after its 7×7 stem and max-pool, 1,000 classes; built
 * here by {@link NetworkBuilder}) at batch 8. Each round runs a block of runs per engine, the engines alternating
 * and the first run of each block dropped (ONNX Runtime's intra-op threads and OpenBLAS's workers spin after a run
 * and would steal the next one's cores); a round's figure is its block median. Prints min / median / max of the
 * round figures per engine, the ratio of the medians, and the load average before and after.
 * Usage: bench/evaluator-vs-ort.sh [threads (default: all cores)] [rounds (default 7)] [case ... (mlp mobilenet resnet18)].
 */
public final class EvaluatorBench {
    record Case(String name, Model model, Map<String, NdArray> feeds, int runsPerBlock, double target) {}

    public static void main(String[] args) throws java.io.IOException {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.getRuntime().availableProcessors();
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        List<String> names = args.length > 2 ? List.of(args).subList(2, args.length) : List.of("mlp", "mobilenet", "resnet18");
        if (threads <= 0 || rounds <= 0) throw new IllegalArgumentException("threads and rounds must be positive");
        org.bytedeco.pytorch.global.torch.set_num_threads(threads);
        System.out.printf("forward pass, Orbit's evaluator (libtorch) vs ONNX Runtime %s, %d threads, %d alternating rounds%n",
                ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion(), threads, rounds);
        for (String name : names) {
            Case c = switch (name) {
                case "mlp" -> {
                    long[] widths = {784, 1024, 1024, 10};
                    yield new Case("MLP 784-1024-1024-10, batch 256", mlp(widths, 1), Map.of("input", randn(2, 256, widths[0])), 21, 1.0);
                }
                case "mobilenet" -> {
                    Model m = dev.orbit.io.onnx.OnnxImporter.read(java.nio.file.Path.of("src/test/resources/fixtures/mobilenetv3_block.onnx"));
                    yield new Case("MobileNetV3 block fixture, input 2x3x16x16", m,
                            Map.of(m.graph().inputs().getFirst().name(), randn(3, 2, 3, 16, 16)), 101, 1.2);
                }
                case "resnet18" -> {
                    var spec = dev.orbit.graph.build.ArchSpec.parse("resnet:3x56x56-64x2-128x2-256x2-512x2-1000:relu");
                    Model m = NetworkBuilder.build(spec, dev.orbit.train.Initializer.parse("kaiming"), 1);
                    yield new Case("ResNet-18 body (56x56 input, 64..512 x [2,2,2,2]), batch 8", m,
                            Map.of(NetworkBuilder.INPUT, randn(4, 8, 3, 56, 56)), 6, 1.2);
                }
                default -> throw new IllegalArgumentException("unknown case '" + name + "' (mlp, mobilenet, resnet18)");
            };
            run(c, threads, rounds);
        }
    }

    static void run(Case c, int threads, int rounds) {
        Evaluator orbit = new Evaluator(c.model());
        double loadBefore = LoadAverage.now();
        try (OrtRunner ort = new OrtRunner(dev.orbit.io.onnx.OnnxExporter.toBytes(c.model()), threads)) {
            for (int i = 0; i < Math.max(5, c.runsPerBlock()); i++) {
                orbit.run(c.feeds());
                ort.run(c.feeds());
            }
            double[] tOrbit = new double[rounds];
            double[] tOrt = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                tOrbit[r] = blockMedian(() -> orbit.run(c.feeds()), c.runsPerBlock());
                tOrt[r] = blockMedian(() -> ort.run(c.feeds()), c.runsPerBlock());
            }
            double mo = median(tOrbit), mr = median(tOrt);
            System.out.printf("%n%s (%d runs per block)%n", c.name(), c.runsPerBlock());
            System.out.printf("  orbit        min %8.3f  median %8.3f  max %8.3f ms%n", min(tOrbit), mo, max(tOrbit));
            System.out.printf("  onnxruntime  min %8.3f  median %8.3f  max %8.3f ms%n", min(tOrt), mr, max(tOrt));
            StringBuilder per = new StringBuilder();
            for (int r = 0; r < rounds; r++) per.append(String.format(" %.2f", tOrbit[r] / tOrt[r]));
            System.out.printf("  ratio orbit/onnxruntime %.2f (target <= %.1f); per round%s; load average %.1f -> %.1f%n",
                    mo / mr, c.target(), per, loadBefore, LoadAverage.now());
        }
    }

    /** Median wall time (ms) of {@code n} runs after one dropped run. */
    static double blockMedian(Runnable run, int n) {
        double[] t = new double[n - 1];
        for (int k = 0; k < n; k++) {
            long a = System.nanoTime();
            run.run();
            if (k > 0) t[k - 1] = (System.nanoTime() - a) / 1e6;
        }
        return median(t);
    }

    static double min(double[] v) { return Arrays.stream(v).min().orElse(Double.NaN); }

    static double max(double[] v) { return Arrays.stream(v).max().orElse(Double.NaN); }

    public static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    static NdArray randn(long seed, long... shape) {
        Random r = new Random(seed);
        float[] v = new float[Math.toIntExact(NdArray.count(shape))];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        return NdArray.ofFloats(v, shape);
    }

    /** Gemm(+bias) / Relu stack with Kaiming-scaled random weights, symbolic batch. */
    public static Model mlp(long[] widths, long seed) {
        List<Node> nodes = new ArrayList<>();
        Map<String, NdArray> params = new LinkedHashMap<>();
        String x = "input";
        for (int l = 0; l + 1 < widths.length; l++) {
            String w = "w" + l;
            String b = "b" + l;
            NdArray wt = randn(seed + l, widths[l + 1], widths[l]);
            float scale = (float) Math.sqrt(2.0 / widths[l]);
            float[] v = wt.toFloatArray();
            for (int i = 0; i < v.length; i++) v[i] *= scale;
            params.put(w, NdArray.ofFloats(v, widths[l + 1], widths[l]));
            params.put(b, NdArray.ofFloats(new float[(int) widths[l + 1]], widths[l + 1]));
            String h = l + 2 < widths.length ? "h" + l : "logits";
            nodes.add(new Node("fc" + l, "Gemm", List.of(x, w, b), List.of(h),
                    Attributes.NONE.with("transB", new dev.orbit.graph.Attr.Int(1))));
            x = h;
            if (l + 2 < widths.length) {
                String a = "a" + l;
                nodes.add(new Node("relu" + l, "Relu", List.of(x), List.of(a), Attributes.NONE));
                x = a;
            }
        }
        var in = new ValueInfo("input", new ValueType(DType.FLOAT32, Shape.of(Dim.symbol("batch"), Dim.of(widths[0]))));
        var out = new ValueInfo("logits", new ValueType(DType.FLOAT32, Shape.of(Dim.symbol("batch"), Dim.of(widths[widths.length - 1]))));
        Graph g = new Graph("mlp", List.of(in), List.of(out), nodes, params, Map.of(), "");
        return new Model(g, Map.of("", 17L), Model.ModelInfo.orbit());
    }
}
