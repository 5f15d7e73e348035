package dev.orbit.cli;

import dev.orbit.report.Json;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.orbit.Orbit;
import dev.orbit.eval.ShapeInference;
import dev.orbit.graph.Model;
import dev.orbit.graph.ValueType;
import dev.orbit.graph.build.ArchSpec;
import dev.orbit.graph.build.NetworkBuilder;
import dev.orbit.io.idx.MnistData;
import dev.orbit.io.onnx.OnnxExporter;
import dev.orbit.tensor.NdArray;
import dev.orbit.train.Augmentation;
import dev.orbit.train.Batches;
import dev.orbit.train.EpochStats;
import dev.orbit.train.Initializer;
import dev.orbit.train.Loss;
import dev.orbit.train.Optimizer;
import dev.orbit.train.Schedule;
import dev.orbit.train.TrainableModel;
import dev.orbit.train.Teleporter;
import dev.orbit.train.Trainer;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.verify.Verifier;
import dev.orbit.verify.VerifyReport;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a network (--arch) or an ONNX model (--model) on MNIST-format digits (the bundled ones by",
                "default), export it to ONNX and verify the export in ONNX Runtime against Orbit's evaluator. Architectures:",
                "mlp:784-256-128-10:relu, cnn:1x28x28-c16-p-c32-p-fc64-10:relu, resnet:1x28x28-16x2-32x2-10:relu (see docs/TRAINING.md)."})
final class TrainCommand implements java.util.concurrent.Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Start start;

    /** What training starts from: a new network of an architecture, or an ONNX model's own weights. */
    static final class Start {
        @Option(names = "--arch", required = true, paramLabel = "SPEC", description = "Architecture spec: train a new network.")
        String arch;

        @Option(names = "--model", required = true, paramLabel = "MODEL.onnx", description = {
                "Train this ONNX model's weights instead: a classifier whose one output is the logits, or a graph that",
                "ends in SoftmaxCrossEntropyLoss or NegativeLogLikelihoodLoss with the labels as its second input",
                "(the graph's own loss is minimised). --init does not apply."})
        Path model;
    }

    @Option(names = "--epochs", defaultValue = "5", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "64", description = "Mini-batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "0.1", description = "Learning rate (default ${DEFAULT-VALUE} for SGD; use ~0.001 with Adam).")
    double lr;

    @Option(names = "--optimizer", defaultValue = "sgd", description = "sgd (default), adam or adagrad.")
    String optimizer;

    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum (default ${DEFAULT-VALUE}; 0 for plain SGD).")
    double momentum;

    @Option(names = "--nesterov", description = "Nesterov momentum.")
    boolean nesterov;

    @Option(names = "--weight-decay", defaultValue = "5e-4", description = "L2 weight decay (default ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--schedule", defaultValue = "cosine", description = "constant, step:EVERY:GAMMA or cosine (default).")
    String schedule;

    @Option(names = "--init", defaultValue = "kaiming", description = "kaiming[:GAIN] (default), xavier[:GAIN], gaussian:SIGMA, default (PyTorch's), orthogonal[:GAIN].")
    String init;

    @Option(names = "--augment", defaultValue = "shift:1", description = "Training-time augmentation: shift:MAX (random whole-pixel shifts up to MAX, default shift:1) or none.")
    String augment;

    @Option(names = "--teleport", paramLabel = "OBJECTIVE[:every=K][:steps=S][:lr=η][:bound=F][:sample=N]",
            description = {"Teleport along the orbit at step 0 and every K steps (default 200) to a better point for OBJECTIVE:",
                    "grad-norm (largest ‖∇L‖² on the next batch), sharpness (top Hessian eigenvalue), trace (Hessian trace),",
                    "weight-norm (ENorm). S orbit-optimiser steps (default 10) at learning rate η (0.05; weight-norm 0.01),",
                    "factors within [1/F, F] (default 4), the objective on the first N digits of the batch (default all).",
                    "Optimiser state moves with the weights; each teleport is verified in ONNX Runtime on its whole batch",
                    "(docs/PURPOSE.md)."})
    String teleport;

    @Mixin
    SeedOption seedOption;

    @Option(names = "--data", paramLabel = "DIR", description = "MNIST-format folder with train-* and t10k-* files (default: the bundled digits).")
    Path data;

    @Option(names = "--train-samples", paramLabel = "N", description = "Use only the first N training digits.")
    Integer trainSamples;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "MODEL.onnx", description = "Where to write the trained model.")
    Path output;

    @Mixin
    QuietOption quietOption;

    @Mixin
    JsonOption jsonOption;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        long seed = seedOption.seed;
        boolean quiet = quietOption.quiet;
        boolean json = jsonOption.json;
        Augmentation augmentation;
        Optimizer opt;
        Schedule lrSchedule;
        Teleporter.Spec teleportSpec;
        try {
            opt = switch (optimizer.toLowerCase()) {
                case "sgd" -> new Optimizer.Sgd(momentum, nesterov, weightDecay);
                case "adam" -> new Optimizer.Adam(0.9, 0.999, 1e-8, weightDecay);
                case "adagrad" -> new Optimizer.AdaGrad(1e-10, weightDecay, 0);
                default -> throw new IllegalArgumentException("unknown optimizer '" + optimizer + "' (sgd, adam, adagrad)");
            };
            augmentation = Augmentation.parse(augment, 28, 28);
            teleportSpec = teleport == null ? null : Teleporter.Spec.parse(teleport);
            lrSchedule = Schedule.parse(schedule, epochs);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
        Starting from = start.model != null ? fromModel(start.model) : fromArch(start.arch, init, seed);
        if (teleportSpec != null && from.loss() instanceof Loss.InGraph) {
            throw new UserError(ExitCodes.USAGE, "--teleport needs a model whose output is the logits; " + start.model
                    + " ends in its own loss");
        }
        Trainer.Config config;
        try {
            config = new Trainer.Config(epochs, batch, lr, lrSchedule, seed, from.loss(), quiet || json);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
        MnistData trainData = data == null ? MnistData.bundled(MnistData.Split.TRAIN) : MnistData.fromDirectory(data, MnistData.Split.TRAIN);
        MnistData testData = data == null ? MnistData.bundled(MnistData.Split.TEST) : MnistData.fromDirectory(data, MnistData.Split.TEST);
        if (trainSamples != null) {
            if (trainSamples <= 0) throw new UserError(ExitCodes.USAGE, "--train-samples must be positive");
            trainData = trainData.head(trainSamples);
        }
        // validated before libtorch's loss sees them: a label outside the outputs is a native error otherwise
        if (from.classes() > 0) {
            checkLabels(trainData, from.classes());
            checkLabels(testData, from.classes());
        }
        Model initial = from.model();
        String featureInput = from.features();
        long[] inputShape = inputShape(initial, featureInput, trainData);
        var out = spec.commandLine().getOut();
        if (!json) out.printf("training %s (%,d parameters) on %,d digits, testing on %,d%n", from.label(),
                initial.graph().parameterCount(), trainData.size(), testData.size());
        List<EpochStats> history;
        Model trained;
        double[] worstTeleportError = {0};
        Teleporter teleporter = teleportSpec == null ? null : new Teleporter(teleportSpec, SpaceAnalyzer.analyze(initial), ev -> {
            VerifyReport r = Verifier.compareInOrt(ev.before(), "before teleport", ev.after(), "after teleport",
                    Map.of(featureInput, ev.x()), ev.x().dim(0) + " training digits", dev.orbit.verify.Tolerance.MOVE);
            if (!r.passedAndFinite()) throw new UserError(ExitCodes.VERIFY_FAILED, "the teleport at step " + ev.step()
                    + " failed verification in ONNX Runtime (max rel error " + r.worstRelError() + "); training stopped");
            worstTeleportError[0] = Math.max(worstTeleportError[0], r.worstRelError());
            if (!json && !quiet) out.printf("teleport at step %d: %s %.4g → %.4g (%d of %d steps kept), verified in ONNX Runtime (max rel error %.1e)%n",
                    ev.step(), ev.result().objective(), ev.result().before(), ev.result().after(), ev.result().accepted(), ev.result().steps(), r.worstRelError());
        });
        try (TrainableModel model = new TrainableModel(initial);
             Batches train = new Batches(reshape(trainData.images(), inputShape), trainData.labels(), augmentation);
             Batches test = new Batches(reshape(testData.images(), inputShape), testData.labels());
             opt) {
            history = Trainer.fit(model, opt, train, test, config, json || quiet ? null : (s, m, o) ->
                    out.printf("epoch %d: loss %.4f, train accuracy %.4f, test accuracy %.4f, %.1f s, %.0f samples/s%n",
                            s.epoch(), s.trainLoss(), s.trainAccuracy(), s.testAccuracy(), s.seconds(), s.samplesPerSecond()), teleporter);
            trained = model.snapshot().withInfo(model.model().info()
                    .withMetadata("orbit.trained", String.format("%s, %d epochs, %s lr %s, batch %d, seed %d", from.label(), epochs,
                            optimizer, lr, batch, seed)));
        } catch (Trainer.NumericFailure e) {
            throw new UserError(ExitCodes.NUMERIC, e.getMessage());
        }
        double testAccuracy = history.getLast().testAccuracy();
        Map<String, NdArray> feeds = new LinkedHashMap<>();
        feeds.put(featureInput, reshape(testData.images(), inputShape));
        if (from.loss() instanceof Loss.InGraph g) feeds.put(g.labels(), NdArray.ofLongs(testData.labels(), testData.size()));
        VerifyReport check = Verifier.evaluatorVsOrt(trained, output.getFileName().toString(), feeds,
                "the " + testData.size() + " test digits", dev.orbit.verify.Tolerance.EVALUATOR);
        if (check.passed()) OnnxExporter.write(trained, output);
        if (json) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put(start.model != null ? "model" : "arch", from.label());
            r.put("history", history);
            r.put("test_accuracy", testAccuracy);
            r.put("verification", check);
            r.put("output", check.passed() ? output.toString() : null);
            if (teleporter != null) {
                r.put("teleport", teleportSpec.toString());
                r.put("teleports", teleporter.results().size());
                r.put("teleport_seconds", teleporter.seconds());
                r.put("teleport_worst_rel_error", worstTeleportError[0]);
            }
            out.println(Json.write(r));
        } else {
            out.printf("test accuracy: %.4f%n", testAccuracy);
            if (teleporter != null) out.printf("%d teleports (%s): %.2f s, worst ONNX Runtime error %.1e%n", teleporter.results().size(), teleportSpec,
                    teleporter.seconds(), worstTeleportError[0]);
            String agreement = from.loss() instanceof Loss.InGraph ? ""
                    : String.format(", argmax agreement %.2f%%", 100 * check.outputs().getFirst().argmaxAgreement());
            out.printf("exported %s: Orbit vs ONNX Runtime on the test digits, max rel error %.2e%s %s%n",
                    output, check.worstRelError(), agreement, check.passed() ? "PASS" : "FAIL (not written)");
        }
        out.flush();
        return check.passed() ? ExitCodes.OK : ExitCodes.VERIFY_FAILED;
    }

    private static void checkLabels(MnistData d, int classes) {
        for (long label : d.labels()) {
            if (label < 0 || label >= classes) {
                throw new UserError(ExitCodes.BAD_INPUT, "label " + label + " does not fit the " + classes + " outputs (classes) of the model");
            }
        }
    }

    /** Where training starts: the model, its loss, the input the digits feed, the class count (0: unknown), a label. */
    record Starting(Model model, Loss loss, String features, int classes, String label) {}

    private static Starting fromArch(String arch, String init, long seed) {
        try {
            ArchSpec spec = ArchSpec.parse(arch);
            Initializer initializer = Initializer.parse(init, spec.activation().gain()); // Kaiming gain follows the activation
            return new Starting(NetworkBuilder.build(spec, initializer, seed), new Loss.CrossEntropy(), NetworkBuilder.INPUT,
                    spec.outputs(), spec.toString());
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
    }

    private static Starting fromModel(Path file) {
        Model m = Orbit.load(file).ir();
        Optional<Loss.InGraph> inGraph;
        try {
            inGraph = Loss.InGraph.find(m.graph());
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.UNSUPPORTED, file + ": " + e.getMessage());
        }
        Map<String, ValueType> types = ShapeInference.infer(m);
        String label = file.getFileName().toString();
        if (inGraph.isPresent()) {
            Loss.InGraph g = inGraph.get();
            return new Starting(m, g, g.features(), classCount(types.get(g.scores())), label + " (its own " + m.graph().producer(g.lossValue()).opType() + ")");
        }
        if (m.graph().inputs().size() != 1 || m.graph().outputs().size() != 1) {
            throw new UserError(ExitCodes.UNSUPPORTED, file + ": training needs one input and one output (the logits), or a graph that "
                    + "ends in SoftmaxCrossEntropyLoss or NegativeLogLikelihoodLoss; it has " + m.graph().inputs().size()
                    + " inputs and " + m.graph().outputs().size() + " outputs");
        }
        ValueType logits = types.get(m.graph().outputs().getFirst().name());
        if (logits != null && logits.shape() != null && logits.rank() != 2) {
            throw new UserError(ExitCodes.UNSUPPORTED, file + ": its output " + logits.shape() + " is not batch×classes logits");
        }
        return new Starting(m, new Loss.CrossEntropy(), m.graph().inputs().getFirst().name(), classCount(logits), label);
    }

    /** The class axis (1) of scores or logits where shape inference knows it, else 0. */
    private static int classCount(ValueType t) {
        if (t == null || t.shape() == null || t.rank() < 2 || !t.shape().dim(1).isKnown()) return 0;
        return Math.toIntExact(t.shape().dim(1).size());
    }

    /** The named input's shape with the batch left at -1; the digits must fill it. */
    private static long[] inputShape(Model m, String input, MnistData d) {
        var info = m.graph().inputs().stream().filter(i -> i.name().equals(input)).findFirst().orElseThrow();
        var s = info.type().shape();
        if (s == null || s.rank() < 2 || !info.type().dtype().isFloating()) {
            throw new UserError(ExitCodes.BAD_INPUT, "input '" + input + "' must be a float tensor of batch×features, got " + info.type());
        }
        long per = 1;
        long[] shape = new long[s.rank()];
        for (int i = 1; i < s.rank(); i++) {
            if (!s.dim(i).isKnown()) throw new UserError(ExitCodes.BAD_INPUT, "input '" + input + "' " + s + " must have known sizes after the batch axis");
            shape[i] = s.dim(i).size();
            per *= shape[i];
        }
        if (per != d.images().dim(1)) {
            throw new UserError(ExitCodes.BAD_INPUT, "the model takes " + per + " values per sample, the digits have " + d.images().dim(1));
        }
        return shape;
    }

    private static NdArray reshape(NdArray images, long[] shape) {
        long[] s = shape.clone();
        s[0] = images.dim(0);
        return images.reshape(s);
    }
}
