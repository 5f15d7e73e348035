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
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;
import dev.orbit.verify.OrtRunner;

/**
 * Orbit's evaluator against ONNX Runtime on one forward pass, same process, same model bytes, same input,
 * same thread count. Array in, array out on both sides. Blocks of runs alternate the engines so drift in
 * machine load hits both; the median of each is reported. Usage: bench/evaluator-vs-ort.sh [threads] [rounds].
 */
public final class EvaluatorBench {
    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.getRuntime().availableProcessors();
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int batch = 256;
        long[] widths = {784, 1024, 1024, 10};
        org.bytedeco.pytorch.global.torch.set_num_threads(threads);
        Model model = mlp(widths, 1);
        Map<String, NdArray> feeds = Map.of("input", randn(2, batch, widths[0]));

        Evaluator orbit = new Evaluator(model);
        try (OrtRunner ort = new OrtRunner(dev.orbit.io.onnx.OnnxExporter.toBytes(model), threads)) {
            for (int i = 0; i < 30; i++) {
                orbit.run(feeds);
                ort.run(feeds);
            }
            // Blocks of 10 runs per engine, alternating, first run of each block dropped: ONNX Runtime's intra-op
            // threads spin after a run and OpenBLAS's workers may too, so run-by-run interleaving would let each
            // engine's idle threads steal the cores of the next run of the other.
            double[] tOrbit = new double[rounds];
            double[] tOrt = new double[rounds];
            int block = 10;
            for (int done = 0; done < rounds; done += block - 1) {
                for (int k = 0; k < block; k++) {
                    long a = System.nanoTime();
                    orbit.run(feeds);
                    if (k > 0 && done + k - 1 < rounds) tOrbit[done + k - 1] = (System.nanoTime() - a) / 1e6;
                }
                for (int k = 0; k < block; k++) {
                    long a = System.nanoTime();
                    ort.run(feeds);
                    if (k > 0 && done + k - 1 < rounds) tOrt[done + k - 1] = (System.nanoTime() - a) / 1e6;
                }
            }
            double mo = median(tOrbit);
            double mr = median(tOrt);
            System.out.printf("forward pass, MLP %s, batch %d, %d threads, %d runs each in alternating blocks (median)%n",
                    Arrays.toString(widths), batch, threads, rounds);
            System.out.printf("  orbit evaluator (libtorch)  %8.3f ms%n", mo);
            System.out.printf("  onnxruntime %-16s %8.3f ms%n", ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion(), mr);
            System.out.printf("  ratio orbit/onnxruntime     %8.2f   (target <= 1.50)%n", mo / mr);
        }
    }

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
