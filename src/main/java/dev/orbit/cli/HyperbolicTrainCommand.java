package dev.orbit.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import dev.orbit.graph.Model;
import dev.orbit.hyperbolic.HyperbolicNet;
import dev.orbit.hyperbolic.HyperbolicTraining;
import dev.orbit.hyperbolic.Precision;
import dev.orbit.hyperbolic.StandardOnnx;
import dev.orbit.io.idx.MnistData;
import dev.orbit.io.onnx.OnnxExporter;
import dev.orbit.ops.length.HyperbolicLengthProduct;
import dev.orbit.report.Charts;
import dev.orbit.report.HtmlReport;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;
import dev.orbit.train.Batches;
import dev.orbit.train.EpochStats;
import dev.orbit.train.Trainer;
import dev.orbit.verify.OrtRunner;
import dev.orbit.verify.OutputComparison;

@Command(name = "hyperbolic-train", mixinStandardHelpOptions = true,
        description = {"Train a network whose layers use the hyperbolic-length product (or the Euclidean one) on the bundled",
                "digits in float64, and an ordinary ReLU MLP of the same widths the same way; writes DIR/model.onnx",
                "(Orbit's form, dev.orbit nodes), DIR/model.standard.onnx (standard ONNX, float64), DIR/model.float32.onnx,",
                "DIR/mlp.onnx, result.json and report.html. With --quick: 784-8-10, one epoch, 600 training and 300 test digits."})
final class HyperbolicTrainCommand implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--widths", defaultValue = "784-64-10", description = "Layer widths (default ${DEFAULT-VALUE}).")
    String widths;

    @Option(names = "--space", defaultValue = "h2", description = "h2 (PSL(2,R) frames), h3, h4, … (Lorentz frames) or euclid (default ${DEFAULT-VALUE}).")
    String space;

    @Option(names = "--embedding", defaultValue = "horocycle", description = "horocycle or geodesic (fixed), affine (learnable); euclid: identity or affine (default ${DEFAULT-VALUE}).")
    String embedding;

    @Option(names = "--epochs", defaultValue = "5", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "64", description = "Mini-batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "0.01", description = "Learning rate, cosine schedule (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--optimizer", defaultValue = "adam", description = "adam (default) or sgd (momentum 0.9).")
    String optimizer;

    @Option(names = "--seed", defaultValue = "0", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--train-samples", paramLabel = "N", description = "Use the first N of the 8,000 training digits.")
    Integer trainSamples;

    @Option(names = "--no-peer", description = "Skip the ordinary MLP.")
    boolean noPeer;

    @Mixin
    ExperimentOptions experiment;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    record Run(String name, String arch, long parameters, List<EpochStats> history, double testAccuracy) {}

    record Result(Run hyperbolic, Run mlp, double ortFloat64RelError, double ortFloat32RelError, double float32ArgmaxAgreement,
                  List<String> files) {}

    @Override
    public Integer call() {
        HyperbolicNet.Spec netSpec;
        HyperbolicTraining.Config config;
        try {
            List<Integer> w = experiment.quick ? List.of(784, 8, 10) : HyperbolicNet.parseWidths(widths);
            var geometry = HyperbolicNet.parseSpace(space);
            String emb = embedding.equalsIgnoreCase("identity") ? "horocycle" : embedding;
            netSpec = new HyperbolicNet.Spec(w, geometry, HyperbolicLengthProduct.Embedding.parse(emb));
            if (netSpec.widths().getFirst() != 784) throw new IllegalArgumentException("the digits have 784 pixels: widths must start with 784");
            if (netSpec.widths().getLast() != 10) throw new IllegalArgumentException("the digits have 10 classes: widths must end with 10");
            config = new HyperbolicTraining.Config(experiment.quick ? 1 : epochs, batch, lr, optimizer.toLowerCase(), seed, false);
            if (epochs <= 0 || batch <= 0 || !(lr > 0)) throw new IllegalArgumentException("--epochs, --batch and --lr must be positive");
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
        if (trainSamples != null && trainSamples <= 0) throw new UserError(ExitCodes.USAGE, "--train-samples must be positive");
        ExperimentOutput.prepare(experiment.output);
        MnistData trainData = MnistData.bundled(MnistData.Split.TRAIN);
        MnistData testData = MnistData.bundled(MnistData.Split.TEST);
        int n = experiment.quick ? 600 : trainSamples == null ? trainData.size() : Math.min(trainSamples, trainData.size());
        trainData = HyperbolicTraining.slice(trainData, 0, n);
        if (experiment.quick) testData = HyperbolicTraining.slice(testData, 0, 300);
        var out = spec.commandLine().getOut();
        Model initial = HyperbolicNet.build(netSpec, seed);
        out.printf("training %s (%,d parameters) on %,d digits, testing on %,d (float64, %s lr %s, %d epochs)%n", netSpec,
                initial.graph().parameterCount(), n, testData.size(), config.optimizer(), lr, config.epochs());
        Run hyp;
        Run mlp = null;
        Model trained;
        try (Batches train = HyperbolicTraining.batches(trainData); Batches test = HyperbolicTraining.batches(testData)) {
            Trainer.EpochListener log = (s, m, o) -> out.printf("  epoch %d: loss %.4f, train accuracy %.4f, test accuracy %.4f, %.1f s%n",
                    s.epoch(), s.trainLoss(), s.trainAccuracy(), s.testAccuracy(), s.seconds());
            var r = HyperbolicTraining.train(initial, train, test, config, log);
            trained = r.model().withInfo(r.model().info().withMetadata("orbit.trained", String.format("%s, %d epochs, %s lr %s, batch %d, seed %d",
                    netSpec, config.epochs(), config.optimizer(), lr, batch, seed)));
            hyp = new Run("length-product network", netSpec.toString(), initial.graph().parameterCount(), r.history(), r.testAccuracy());
            out.printf("%s: test accuracy %.4f%n", netSpec, hyp.testAccuracy());
            if (!noPeer) {
                Model peer = HyperbolicTraining.mlpPeer(netSpec.widths(), seed);
                out.printf("training the ordinary MLP %s (%,d parameters) the same way%n", String.join("-", netSpec.widths().stream().map(String::valueOf).toList()),
                        peer.graph().parameterCount());
                var p = HyperbolicTraining.train(peer, train, test, config, log);
                mlp = new Run("ordinary MLP (ReLU)", "mlp:" + String.join("-", netSpec.widths().stream().map(String::valueOf).toList()) + ":relu",
                        peer.graph().parameterCount(), p.history(), p.testAccuracy());
                OnnxExporter.write(p.model(), experiment.output.resolve("mlp.onnx"));
                out.printf("MLP: test accuracy %.4f%n", mlp.testAccuracy());
            }
        } catch (Trainer.NumericFailure e) {
            throw new UserError(ExitCodes.NUMERIC, e.getMessage());
        }
        // exports, each checked in ONNX Runtime against Orbit's float64 evaluation on the test digits
        NdArray x = Precision.convert(testData.images(), DType.FLOAT64);
        NdArray ref = new dev.orbit.eval.Evaluator(trained).run(Map.of(HyperbolicNet.INPUT, x)).get(HyperbolicNet.OUTPUT);
        Model std64 = StandardOnnx.expand(trained, DType.FLOAT64);
        Model std32 = StandardOnnx.expand(trained, DType.FLOAT32);
        OutputComparison c64 = ort(std64, x, ref);
        OutputComparison c32 = ort(std32, Precision.convert(x, DType.FLOAT32), ref);
        OnnxExporter.write(trained, experiment.output.resolve("model.onnx"));
        OnnxExporter.write(std64, experiment.output.resolve("model.standard.onnx"));
        OnnxExporter.write(std32, experiment.output.resolve("model.float32.onnx"));
        List<String> files = new ArrayList<>(List.of("model.onnx", "model.standard.onnx", "model.float32.onnx"));
        if (mlp != null) files.add("mlp.onnx");
        Result result = new Result(hyp, mlp, c64.maxRelError(), c32.maxRelError(), c32.argmaxAgreement(), files);
        ExperimentOutput.write(experiment.output, "hyperbolic-train", String.format("test accuracy %.4f", hyp.testAccuracy()), result, report(result));
        out.printf("ONNX Runtime vs Orbit on the test digits: float64 export max rel error %.2e, float32 export %.2e (argmax agreement %.2f%%)%n",
                c64.maxRelError(), c32.maxRelError(), 100 * c32.argmaxAgreement());
        out.println("wrote " + String.join(", ", files.stream().map(f -> experiment.output.resolve(f).toString()).toList()) + ", "
                + ExperimentOutput.wrote(experiment.output).substring("wrote ".length()));
        out.flush();
        return c64.maxRelError() <= 1e-9 ? ExitCodes.OK : ExitCodes.VERIFY_FAILED;
    }

    private static OutputComparison ort(Model m, NdArray x, NdArray ref) {
        try (OrtRunner r = new OrtRunner(m)) {
            return OutputComparison.of(HyperbolicNet.OUTPUT, ref, Precision.convert(r.run(Map.of(HyperbolicNet.INPUT, x)).get(HyperbolicNet.OUTPUT), DType.FLOAT64));
        }
    }

    static HtmlReport report(Result r) {
        HtmlReport h = new HtmlReport("Length-product network against an ordinary MLP");
        h.heading("What was run");
        h.paragraph("A network whose layers sum hyperbolic (or Euclidean) distances instead of products, each followed by "
                + "BatchNormalization, trained in float64 on the bundled digits; an ordinary ReLU MLP of the same widths trained "
                + "with the same optimiser, learning rate, schedule, batch and epochs. BatchNorm statistics are recalibrated on "
                + "2,000 training digits after each epoch (the sums of distances drift faster than running averages follow).");
        List<List<String>> rows = new ArrayList<>();
        for (Run run : r.mlp() == null ? List.of(r.hyperbolic()) : List.of(r.hyperbolic(), r.mlp())) {
            rows.add(List.of(run.name(), run.arch(), String.format("%,d", run.parameters()), String.format("%.4f", run.testAccuracy())));
        }
        h.table(List.of("network", "architecture", "parameters", "test accuracy"), rows);
        int epochs = r.hyperbolic().history().size();
        double[] ep = new double[epochs];
        for (int i = 0; i < epochs; i++) ep[i] = i + 1;
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("length product", r.hyperbolic().history().stream().mapToDouble(EpochStats::testAccuracy).toArray());
        if (r.mlp() != null) series.put("MLP", r.mlp().history().stream().mapToDouble(EpochStats::testAccuracy).toArray());
        if (epochs > 1) h.chart(Charts.lines("Test accuracy", "epoch", "accuracy", ep, series), "Test accuracy after each epoch.");
        h.heading("Exports");
        h.table(List.of("file", "what", "max rel error vs Orbit float64"), List.of(
                List.of("model.onnx", "Orbit's form (dev.orbit nodes)", "0 (same evaluator)"),
                List.of("model.standard.onnx", "standard ONNX, float64, in ONNX Runtime", String.format("%.2e", r.ortFloat64RelError())),
                List.of("model.float32.onnx", "standard ONNX, float32, in ONNX Runtime", String.format("%.2e", r.ortFloat32RelError()))));
        return h;
    }
}
