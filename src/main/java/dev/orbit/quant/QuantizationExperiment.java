package dev.orbit.quant;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import dev.orbit.experiment.Context;
import dev.orbit.experiment.Experiment;
import dev.orbit.experiment.Verdict;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.graph.build.ArchSpec;
import dev.orbit.graph.build.NetworkBuilder;
import dev.orbit.io.idx.MnistData;
import dev.orbit.io.onnx.BundledModel;
import dev.orbit.ops.Role;
import dev.orbit.report.HtmlReport;
import dev.orbit.symmetry.BatchNormFolding;
import dev.orbit.symmetry.GroupElement;
import dev.orbit.symmetry.NeuronSpace;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.symmetry.ParamTouch;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.symmetry.SymmetryAnalysis;
import dev.orbit.tensor.NdArray;
import dev.orbit.train.Batches;
import dev.orbit.train.Initializer;
import dev.orbit.train.Loss;
import dev.orbit.train.Optimizer;
import dev.orbit.train.Schedule;
import dev.orbit.train.TrainableModel;
import dev.orbit.train.Trainer;
import dev.orbit.verify.OrtRunner;

/**
 * {@code quantization}: what the orbit buys a quantizer. MNIST models (the bundled MLP, a BatchNorm CNN and a
 * MobileNet-style depthwise net with ReLU6, both trained here) are quantized in three formats (int8 per tensor and
 * per channel with uint8 activations, int4 weight-only in blocks of 32) with four arms (no preparation, CLE, CLE with
 * bias correction, SmoothQuant α = 0.5). Measured in ONNX Runtime on held-out digits: accuracy, output error against
 * the float model, and for W8A8 the integer kernels and the speed against float. The depthwise net is also run with a
 * constructed channel spread (an orbit move of the trained, BatchNorm-folded net) when {@code spread} &gt; 1.
 */
public final class QuantizationExperiment implements Experiment<QuantizationExperiment.Config, QuantizationExperiment.Result> {
    public record Config(int epochs, int trainSamples, int calibration, int evaluation, double spread, int speedRounds, long seed) {}

    /** One model: its float accuracy and, for depthwise nets, the spread max/min of per-channel depthwise weight ranges after folding. */
    public record ModelRow(String model, double floatAccuracy, double depthwiseSpread, String note) {}

    /** One quantized arm. {@code exact}: every exact preparation passed the noise rule in ONNX Runtime. */
    public record Row(String model, String format, String arm, double accuracy, double outputError, boolean exact, String refused,
                      boolean integerKernels, double floatMs, double quantizedMs) {}

    public record Result(Config config, List<ModelRow> models, List<Row> rows) {}

    /** Adam's learning rate (cosine schedule, batch 64) for the CNN and the depthwise net. */
    static final double LR = 0.005;

    private static final List<String> FORMATS = List.of("int8 per-tensor W8A8", "int8 per-channel W8A8", "int4 g32 weight-only");

    @Override
    public String name() { return "quantization"; }

    @Override
    public Config defaults() { return new Config(6, 6000, 200, 500, 100, 5, 0); }

    @Override
    public Config quick(Config c) { return new Config(1, 1000, 64, 128, c.spread(), 1, c.seed()); }

    @Override
    public Result run(Config c, Context context) {
        MnistData test = MnistData.bundled(MnistData.Split.TEST);
        Map<String, NdArray> calibFlat = Map.of("input", rows(test.images(), 0, c.calibration()));
        NdArray evalImages = rows(test.images(), c.calibration(), c.calibration() + c.evaluation());
        long[] labels = Arrays.copyOfRange(test.labels(), c.calibration(), c.calibration() + c.evaluation());
        MnistData train = MnistData.bundled(MnistData.Split.TRAIN).head(c.trainSamples());

        Map<String, Model> models = new LinkedHashMap<>();
        Map<String, String> notes = new LinkedHashMap<>();
        models.put("mlp (bundled)", BundledModel.read());
        context.phase("training", 2);
        models.put("cnn c16/bn-p-c32/bn-p-fc64", train(NetworkBuilder.build(ArchSpec.parse("cnn:1x28x28-c16/bn-p-c32/bn-p-fc64-10:relu"),
                Initializer.parse("kaiming"), c.seed()), train, c));
        context.step(1);
        Model dw = train(DepthwiseMnist.build(c.seed()), train, c);
        context.step(2);
        models.put("depthwise (trained)", dw);
        if (c.spread() > 1) {
            models.put("depthwise (spread ×" + fmt(c.spread()) + " constructed)", constructSpread(BatchNormFolding.fold(dw).model(), c.spread(), c.seed()));
            notes.put("depthwise (spread ×" + fmt(c.spread()) + " constructed)", "the trained net, BatchNorm folded, its first depthwise"
                    + " conv's output channels scaled by log-uniform factors in [1/√S, √S] (an exact orbit move; ReLU6 bounds become 6·τ)");
        }

        List<ModelRow> modelRows = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        context.phase("quantizing", (long) models.size() * FORMATS.size());
        long done = 0;
        for (var e : models.entrySet()) {
            Model m = e.getValue();
            Map<String, NdArray> calib = Map.of(m.graph().inputs().getFirst().name(), shaped(calibFlat.get("input"), m));
            Map<String, NdArray> eval = Map.of(m.graph().inputs().getFirst().name(), shaped(evalImages, m));
            double floatAcc = Double.NaN;
            for (String format : FORMATS) {
                QdqWriter.Options base = options(format, false);
                Quantizer.Report cle = attempt(m, List.of(new Preparation.Cle()), base, calib, eval, labels);
                Quantizer.Report any = cle != null ? cle : Quantizer.run(m, List.of(), base, calib, eval, labels);
                floatAcc = any.floatModel().accuracy();
                boolean w8a8 = !format.contains("weight-only");
                Quantizer.Figures none = any.quantizedUnprepared();
                rows.add(row(e.getKey(), format, "none", none, true, null, any, m, eval, w8a8 && format.contains("per-tensor") ? c.speedRounds() : 0, false));
                rows.add(cle == null ? refused(e.getKey(), format, "cle", "no space between two weights")
                        : row(e.getKey(), format, "cle", cle.quantizedPrepared(), exact(cle), null, cle, m, eval,
                        w8a8 && format.contains("per-tensor") ? c.speedRounds() : 0, true));
                Quantizer.Report bc = attempt(m, List.of(new Preparation.Cle()), options(format, true), calib, eval, labels);
                rows.add(bc == null ? refused(e.getKey(), format, "cle + bias correction", "no space between two weights")
                        : row(e.getKey(), format, "cle + bias correction", bc.quantizedPrepared(), exact(bc), null, bc, m, eval, 0, true));
                Quantizer.Report sm = attempt(m, List.of(new Preparation.Smooth(0.5)), base, calib, eval, labels);
                rows.add(sm == null ? refused(e.getKey(), format, "smooth:0.5", "no scalable space read by a linear map")
                        : row(e.getKey(), format, "smooth:0.5", sm.quantizedPrepared(), exact(sm), null, sm, m, eval, 0, true));
                context.step(++done);
                context.log(e.getKey() + ", " + format + ": done");
            }
            modelRows.add(new ModelRow(e.getKey(), floatAcc, depthwiseSpread(BatchNormFolding.fold(m).model()), notes.getOrDefault(e.getKey(), "")));
        }
        return new Result(c, modelRows, rows);
    }

    private static Quantizer.Report attempt(Model m, List<Preparation> p, QdqWriter.Options o, Map<String, NdArray> calib,
                                            Map<String, NdArray> eval, long[] labels) {
        try {
            return Quantizer.run(m, p, o, calib, eval, labels);
        } catch (QuantizeException e) {
            return null;
        }
    }

    private static boolean exact(Quantizer.Report r) {
        return r.steps().stream().allMatch(s -> !s.exact() || s.verification().passed());
    }

    private static Row refused(String model, String format, String arm, String why) {
        return new Row(model, format, arm, Double.NaN, Double.NaN, true, why, false, Double.NaN, Double.NaN);
    }

    private static Row row(String model, String format, String arm, Quantizer.Figures f, boolean exact, String refused, Quantizer.Report r,
                           Model floatModel, Map<String, NdArray> eval, int speedRounds, boolean prepared) {
        Model q = prepared ? r.quantized() : r.quantizedUnpreparedModel();
        boolean ints = OrtKernels.usesIntegerKernels(OrtKernels.optimisedOps(q));
        double[] ms = speedRounds > 0 ? speed(floatModel, q, eval, speedRounds) : new double[] {Double.NaN, Double.NaN};
        return new Row(model, format, arm, f.accuracy(), f.outputError(), exact, refused, ints, ms[0], ms[1]);
    }

    /** Median milliseconds per run of the evaluation batch, float then quantized, alternating rounds, one thread each. */
    private static double[] speed(Model floatModel, Model quantized, Map<String, NdArray> feeds, int rounds) {
        double[][] t = new double[2][rounds];
        try (OrtRunner f = new OrtRunner(dev.orbit.io.onnx.OnnxExporter.toBytes(floatModel), 1);
             OrtRunner q = new OrtRunner(dev.orbit.io.onnx.OnnxExporter.toBytes(quantized), 1)) {
            f.run(feeds);
            q.run(feeds);
            for (int i = 0; i < rounds; i++) {
                long a = System.nanoTime();
                f.run(feeds);
                long b = System.nanoTime();
                q.run(feeds);
                long c = System.nanoTime();
                t[0][i] = (b - a) / 1e6;
                t[1][i] = (c - b) / 1e6;
            }
        }
        Arrays.sort(t[0]);
        Arrays.sort(t[1]);
        return new double[] {t[0][rounds / 2], t[1][rounds / 2]};
    }

    private static QdqWriter.Options options(String format, boolean biasCorrection) {
        return switch (format) {
            case "int8 per-tensor W8A8" -> new QdqWriter.Options(QdqWriter.Weights.INT8, false, 0, QdqWriter.Activations.UINT8, new Calibration.MinMax(), biasCorrection);
            case "int8 per-channel W8A8" -> new QdqWriter.Options(QdqWriter.Weights.INT8, true, 0, QdqWriter.Activations.UINT8, new Calibration.MinMax(), biasCorrection);
            default -> new QdqWriter.Options(QdqWriter.Weights.INT4, false, 32, QdqWriter.Activations.NONE, new Calibration.MinMax(), biasCorrection);
        };
    }

    private static Model train(Model initial, MnistData data, Config c) {
        NdArray images = shaped(data.images(), initial);
        try (TrainableModel model = new TrainableModel(initial);
             Batches train = new Batches(images, data.labels());
             Batches test = new Batches(rows(images, 0, Math.min(500, data.size())), Arrays.copyOf(data.labels(), Math.min(500, data.size())));
             Optimizer opt = new Optimizer.Adam(0.9, 0.999, 1e-8, 0)) {
            Trainer.fit(model, opt, train, test, new Trainer.Config(c.epochs(), 64, LR, new Schedule.Cosine(c.epochs()), c.seed(),
                    new Loss.CrossEntropy(), true), null);
            return model.snapshot().withInfo(model.model().info());
        }
    }

    /** The first depthwise conv's output channels scaled by log-uniform factors in [1/√S, √S]: an exact orbit move. */
    static Model constructSpread(Model folded, double spread, long seed) {
        SymmetryAnalysis a = SpaceAnalyzer.analyze(folded);
        String dwWeight = null;
        for (Node n : folded.graph().nodes()) {
            if (n.opType().equals("Conv") && n.attributes().getInt("group", 1) > 1) {
                dwWeight = n.input(1);
                break;
            }
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (NeuronSpace s : a.spaces()) {
            for (ParamTouch t : s.touches()) {
                if (t.parameter().equals(dwWeight) && t.role() == Role.COVARIANT && s.scaling() != dev.orbit.symmetry.Scaling.NONE) {
                    double[] tau = new double[Math.toIntExact(s.size())];
                    for (int i = 0; i < tau.length; i++) tau[i] = Math.pow(spread, rng.nextDouble() - 0.5);
                    return OrbitAction.apply(folded, a, new GroupElement(Map.of(), Map.of(s.id(), tau)));
                }
            }
        }
        throw new IllegalStateException("no scalable space at the output of a depthwise conv");
    }

    /** max/min over channels of max |w| per output channel of the depthwise convs (NaN without one). */
    static double depthwiseSpread(Model folded) {
        double worst = Double.NaN;
        for (Node n : folded.graph().nodes()) {
            if (!n.opType().equals("Conv") || n.attributes().getInt("group", 1) <= 1) continue;
            NdArray w = folded.graph().parameter(n.input(1));
            double[] r = Calibration.perChannel(w, 0, true);
            double hi = Arrays.stream(r).max().orElse(1), lo = Arrays.stream(r).min().orElse(1);
            double s = lo > 0 ? hi / lo : Double.POSITIVE_INFINITY;
            worst = Double.isNaN(worst) ? s : Math.max(worst, s);
        }
        return worst;
    }

    private static NdArray shaped(NdArray flat, Model m) {
        long n = flat.dim(0);
        return m.graph().inputs().getFirst().type().shape().rank() == 4 ? flat.reshape(n, 1, 28, 28) : flat;
    }

    private static NdArray rows(NdArray a, long from, long to) {
        return QuantizeReport.rows(Map.of("x", a), from, to).get("x");
    }

    @Override
    public HtmlReport report(Result r) {
        HtmlReport h = new HtmlReport("Quantization through symmetry");
        h.paragraph("Claim: exact orbit moves (cross-layer equalization across ReLU6 through the Clip→Max/Min rewrite, SmoothQuant) "
                + "make per-tensor int8 work where channel ranges differ widely, without changing the float function. Every exact "
                + "preparation is verified in ONNX Runtime under the noise rule; bias correction changes the float function on purpose.");
        h.paragraph(String.format(Locale.ROOT, "Run: %d epochs on %d training digits (Adam, lr " + LR + ", cosine); calibration on the first %d bundled "
                + "test digits, measured on the next %d; seed %d.", r.config().epochs(), r.config().trainSamples(), r.config().calibration(),
                r.config().evaluation(), r.config().seed()));
        h.heading("Models");
        List<List<String>> mr = new ArrayList<>();
        for (ModelRow m : r.models()) mr.add(List.of(m.model(), pct(m.floatAccuracy()), Double.isNaN(m.depthwiseSpread()) ? "-" : fmt(m.depthwiseSpread()), m.note()));
        h.table(List.of("model", "float accuracy", "depthwise range spread (max/min)", "note"), mr);
        h.heading("Quantized in ONNX Runtime");
        List<List<String>> rr = new ArrayList<>();
        for (Row x : r.rows()) {
            rr.add(List.of(x.model(), x.format(), x.arm(), x.refused() != null ? "refused: " + x.refused() : pct(x.accuracy()),
                    x.refused() != null ? "-" : String.format(Locale.ROOT, "%.2e", x.outputError()), x.exact() ? "yes" : "NO",
                    x.integerKernels() ? "yes" : "no", Double.isNaN(x.floatMs()) ? "-" : String.format(Locale.ROOT, "%.1f / %.1f ms (%.2f×)",
                            x.floatMs(), x.quantizedMs(), x.floatMs() / x.quantizedMs())));
        }
        h.table(List.of("model", "format", "arm", "accuracy", "output error (rel L2)", "exact steps verified", "integer kernels",
                "float / quantized time (speed-up)"), rr);
        return h;
    }

    @Override
    public String headline(Result r) { return "per-tensor int8 through cross-layer equalization"; }

    @Override
    public String summary(Result r) {
        StringBuilder b = new StringBuilder();
        for (ModelRow m : r.models()) {
            b.append(String.format(Locale.ROOT, "%s: float %s%s%n", m.model(), pct(m.floatAccuracy()),
                    Double.isNaN(m.depthwiseSpread()) ? "" : ", depthwise spread " + fmt(m.depthwiseSpread())));
            for (Row x : r.rows()) {
                if (!x.model().equals(m.model())) continue;
                b.append(String.format(Locale.ROOT, "  %-22s %-22s %s%n", x.format(), x.arm(), x.refused() != null ? "refused: " + x.refused()
                        : String.format(Locale.ROOT, "%s, error %.2e%s%s%s", pct(x.accuracy()), x.outputError(), x.exact() ? "" : ", NOT EXACT",
                        x.integerKernels() ? ", int kernels" : "", Double.isNaN(x.floatMs()) ? "" : String.format(Locale.ROOT, ", %.2f× float speed", x.floatMs() / x.quantizedMs()))));
            }
        }
        return b.toString();
    }

    @Override
    public Verdict verdict(Result r) {
        return r.rows().stream().allMatch(Row::exact) ? Verdict.PASSED : Verdict.FAILED;
    }

    private static String pct(double v) { return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * v); }

    private static String fmt(double v) { return String.format(Locale.ROOT, "%.3g", v); }
}
