package dev.orbit.hyperbolic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.orbit.eval.Evaluator;
import dev.orbit.experiment.Context;
import dev.orbit.experiment.Experiment;
import dev.orbit.experiment.ExperimentFiles;
import dev.orbit.experiment.Verdict;
import dev.orbit.graph.Model;
import dev.orbit.io.idx.MnistData;
import dev.orbit.io.onnx.OnnxExporter;
import dev.orbit.ops.length.HyperbolicLengthProduct;
import dev.orbit.report.HtmlReport;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;
import dev.orbit.train.Batches;
import dev.orbit.train.EpochStats;
import dev.orbit.train.Trainer;
import dev.orbit.verify.OrtRunner;
import dev.orbit.verify.OutputComparison;

/**
 * {@code hyperbolic-train}: a network of hyperbolic- (or Euclidean-) length-product layers trained in float64 on the
 * bundled digits, beside an ordinary ReLU MLP of the same widths trained the same way; exports Orbit's form, the
 * standard-op expansion in float64 and float32, each checked in ONNX Runtime against Orbit's float64 evaluation.
 * Default: 784-64-10 on H², 5 epochs, all 8,000 training digits; quick: 784-8-10, one epoch, 600 + 300 digits.
 */
public final class HyperbolicTrainExperiment implements Experiment<HyperbolicTrainExperiment.Config, HyperbolicTrainExperiment.Result> {
    /** The float64 export must reproduce Orbit's float64 outputs to this relative error. */
    public static final double FLOAT64_EXPORT_TOLERANCE = 1e-9;

    /**
     * {@code widths} like 784-64-10; {@code space} h2, h3, … or euclid; {@code trainSamples} and {@code testSamples}
     * the first N digits (null: all); {@code peer} also trains the ordinary MLP.
     */
    public record Config(String widths, String space, String embedding, int epochs, int batch, double lr, String optimizer, long seed,
                         Integer trainSamples, Integer testSamples, boolean peer) {}

    /** One trained network: its test accuracy per epoch and at the end. */
    public record Run(String name, String arch, long parameters, List<EpochStats> history, double testAccuracy) {}

    public record Result(Run hyperbolic, Run mlp, double ortFloat64RelError, double ortFloat32RelError, double float32ArgmaxAgreement,
                         List<String> files) {}

    @Override
    public String name() { return "hyperbolic-train"; }

    @Override
    public Config defaults() { return new Config("784-64-10", "h2", "horocycle", 5, 64, 0.01, "adam", 0, null, null, true); }

    @Override
    public Config quick(Config c) {
        return new Config("784-8-10", c.space(), c.embedding(), 1, c.batch(), c.lr(), c.optimizer(), c.seed(), 600, 300, c.peer());
    }

    /** The network a configuration describes; IllegalArgumentException for widths, space or embedding that do not fit the digits. */
    public static HyperbolicNet.Spec spec(Config c) {
        List<Integer> w = HyperbolicNet.parseWidths(c.widths());
        var geometry = HyperbolicNet.parseSpace(c.space());
        String emb = c.embedding().equalsIgnoreCase("identity") ? "horocycle" : c.embedding();
        var spec = new HyperbolicNet.Spec(w, geometry, HyperbolicLengthProduct.Embedding.parse(emb));
        if (spec.widths().getFirst() != 784) throw new IllegalArgumentException("the digits have 784 pixels: widths must start with 784");
        if (spec.widths().getLast() != 10) throw new IllegalArgumentException("the digits have 10 classes: widths must end with 10");
        return spec;
    }

    /** The training settings; IllegalArgumentException for an unknown optimizer or non-positive epochs, batch or lr. */
    public static HyperbolicTraining.Config training(Config c) {
        var t = new HyperbolicTraining.Config(c.epochs(), c.batch(), c.lr(), c.optimizer().toLowerCase(), c.seed(), false);
        if (c.epochs() <= 0 || c.batch() <= 0 || !(c.lr() > 0)) throw new IllegalArgumentException("--epochs, --batch and --lr must be positive");
        return t;
    }

    /** Trains, exports into {@code context.folder()} (model.onnx, model.standard.onnx, model.float32.onnx, mlp.onnx) and checks the exports. */
    @Override
    public Result run(Config c, Context context) {
        HyperbolicNet.Spec netSpec = spec(c);
        HyperbolicTraining.Config config = training(c);
        MnistData trainData = MnistData.bundled(MnistData.Split.TRAIN);
        MnistData testData = MnistData.bundled(MnistData.Split.TEST);
        int n = c.trainSamples() == null ? trainData.size() : Math.min(c.trainSamples(), trainData.size());
        trainData = HyperbolicTraining.slice(trainData, 0, n);
        if (c.testSamples() != null) testData = HyperbolicTraining.slice(testData, 0, Math.min(c.testSamples(), testData.size()));
        Model initial = HyperbolicNet.build(netSpec, c.seed());
        context.log(String.format("training %s (%,d parameters) on %,d digits, testing on %,d (float64, %s lr %s, %d epochs)", netSpec,
                initial.graph().parameterCount(), n, testData.size(), config.optimizer(), c.lr(), config.epochs()));
        Run hyp;
        Run mlp = null;
        Model trained;
        Model peerModel = null;
        try (Batches train = HyperbolicTraining.batches(trainData); Batches test = HyperbolicTraining.batches(testData)) {
            Trainer.EpochListener log = (s, m, o) -> context.log(String.format("  epoch %d: loss %.4f, train accuracy %.4f, test accuracy %.4f, %.1f s",
                    s.epoch(), s.trainLoss(), s.trainAccuracy(), s.testAccuracy(), s.seconds()));
            var r = HyperbolicTraining.train(initial, train, test, config, log);
            trained = r.model().withInfo(r.model().info().withMetadata("orbit.trained", String.format("%s, %d epochs, %s lr %s, batch %d, seed %d",
                    netSpec, config.epochs(), config.optimizer(), c.lr(), c.batch(), c.seed())));
            hyp = new Run("length-product network", netSpec.toString(), initial.graph().parameterCount(), r.history(), r.testAccuracy());
            context.log(String.format("%s: test accuracy %.4f", netSpec, hyp.testAccuracy()));
            if (c.peer()) {
                Model peer = HyperbolicTraining.mlpPeer(netSpec.widths(), c.seed());
                String widths = String.join("-", netSpec.widths().stream().map(String::valueOf).toList());
                context.log(String.format("training the ordinary MLP %s (%,d parameters) the same way", widths, peer.graph().parameterCount()));
                var p = HyperbolicTraining.train(peer, train, test, config, log);
                mlp = new Run("ordinary MLP (ReLU)", "mlp:" + widths + ":relu", peer.graph().parameterCount(), p.history(), p.testAccuracy());
                peerModel = p.model();
                write(context, "mlp.onnx", peerModel);
                context.log(String.format("MLP: test accuracy %.4f", mlp.testAccuracy()));
            }
        }
        // exports, each checked in ONNX Runtime against Orbit's float64 evaluation on the test digits
        NdArray x = Precision.convert(testData.images(), DType.FLOAT64);
        NdArray ref = new Evaluator(trained).run(Map.of(HyperbolicNet.INPUT, x)).get(HyperbolicNet.OUTPUT);
        Model std64 = StandardOnnx.expand(trained, DType.FLOAT64);
        Model std32 = StandardOnnx.expand(trained, DType.FLOAT32);
        OutputComparison c64 = ort(std64, x, ref);
        OutputComparison c32 = ort(std32, Precision.convert(x, DType.FLOAT32), ref);
        write(context, "model.onnx", trained);
        write(context, "model.standard.onnx", std64);
        write(context, "model.float32.onnx", std32);
        List<String> files = new ArrayList<>(List.of("model.onnx", "model.standard.onnx", "model.float32.onnx"));
        if (mlp != null) files.add("mlp.onnx");
        return new Result(hyp, mlp, c64.maxRelError(), c32.maxRelError(), c32.argmaxAgreement(), files);
    }

    private static void write(Context context, String file, Model m) {
        if (context.folder() != null) OnnxExporter.write(m, context.folder().resolve(file));
    }

    private static OutputComparison ort(Model m, NdArray x, NdArray ref) {
        try (OrtRunner r = new OrtRunner(m)) {
            return OutputComparison.of(HyperbolicNet.OUTPUT, ref, Precision.convert(r.run(Map.of(HyperbolicNet.INPUT, x)).get(HyperbolicNet.OUTPUT), DType.FLOAT64));
        }
    }

    @Override
    public HtmlReport report(Result r) { return HyperbolicTrainReport.of(r); }

    @Override
    public String headline(Result r) { return String.format("test accuracy %.4f", r.hyperbolic().testAccuracy()); }

    @Override
    public String summary(Result r) {
        return String.format("ONNX Runtime vs Orbit on the test digits: float64 export max rel error %.2e, float32 export %.2e (argmax agreement %.2f%%)%n",
                r.ortFloat64RelError(), r.ortFloat32RelError(), 100 * r.float32ArgmaxAgreement());
    }

    @Override
    public Verdict verdict(Result r) { return r.ortFloat64RelError() <= FLOAT64_EXPORT_TOLERANCE ? Verdict.PASSED : Verdict.FAILED; }

    /** What the command prints after writing: the model files, then result.json, report.html and index.html. */
    public static String wrote(Result r, java.nio.file.Path dir) {
        return "wrote " + String.join(", ", r.files().stream().map(f -> dir.resolve(f).toString()).toList()) + ", "
                + ExperimentFiles.wrote(dir).substring("wrote ".length());
    }
}
