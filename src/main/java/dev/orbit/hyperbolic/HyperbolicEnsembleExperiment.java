package dev.orbit.hyperbolic;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.orbit.experiment.Context;
import dev.orbit.experiment.Experiment;
import dev.orbit.graph.Model;
import dev.orbit.graph.ModelFormatException;
import dev.orbit.io.idx.MnistData;
import dev.orbit.io.onnx.OnnxImporter;
import dev.orbit.ops.length.HyperbolicLengthProduct;
import dev.orbit.report.HtmlReport;
import dev.orbit.symmetry.LengthLayers;
import dev.orbit.tensor.DType;
import dev.orbit.train.Batches;

/**
 * {@code hyperbolic-ensemble}: from a trained length-product model, train orbit copies on fresh data each epoch, keep
 * the best on a validation split and regrow its orbit; compared over seeds with copies of the same point and with one
 * model trained alone. The 8,000 bundled training digits are cut at {@code splits}: [s0, s1) trains the base model
 * (unless a model is given), [s1, s2) is the fresh data, [s2, s3) validation. Default: 784-32-10 on H², 3 seeds, 4
 * copies, 4 epochs; quick: 784-4-10, 2 seeds, 2 copies, 2 epochs, 600 digits, 200 test digits.
 */
public final class HyperbolicEnsembleExperiment implements Experiment<HyperbolicEnsembleExperiment.Config, HyperbolicEnsembleExperiment.Result> {
    /**
     * {@code model} a trained length-product model (null: train one from {@code widths} and {@code space} for
     * {@code baseEpochs}); {@code testSamples} the first N test digits (null: all 2,000).
     */
    public record Config(String model, String widths, String space, int baseEpochs, int[] splits, Integer testSamples,
                         OrbitEnsemble.Config ensemble) {}

    /** result.json: the base model's description and the ensemble's figures. */
    public record Result(String baseModel, OrbitEnsemble.Result ensemble) {}

    @Override
    public String name() { return "hyperbolic-ensemble"; }

    @Override
    public Config defaults() {
        return new Config(null, "784-32-10", "h2", 3, new int[] {0, 4000, 7000, 8000}, null, new OrbitEnsemble.Config(3, 4, 4, 1.0, 0.003, 64, "adam"));
    }

    @Override
    public Config quick(Config c) {
        var e = c.ensemble();
        return new Config(c.model(), "784-4-10", c.space(), 1, new int[] {0, 300, 500, 600}, 200,
                new OrbitEnsemble.Config(2, 2, 2, e.spread(), e.lr(), e.batch(), e.optimizer()));
    }

    /** The base network a configuration trains when it names no model; IllegalArgumentException for bad widths or space. */
    public static HyperbolicNet.Spec spec(Config c) {
        return new HyperbolicNet.Spec(HyperbolicNet.parseWidths(c.widths()), HyperbolicNet.parseSpace(c.space()), HyperbolicLengthProduct.Embedding.HOROCYCLE);
    }

    /** Throws ModelFormatException for a model without length-product layers, IllegalArgumentException when the ensemble cannot run. */
    @Override
    public Result run(Config c, Context context) {
        MnistData all = MnistData.bundled(MnistData.Split.TRAIN);
        MnistData testData = MnistData.bundled(MnistData.Split.TEST);
        if (c.testSamples() != null) testData = HyperbolicTraining.slice(testData, 0, Math.min(c.testSamples(), testData.size()));
        int[] cut = c.splits();
        try (Batches baseTrain = HyperbolicTraining.batches(HyperbolicTraining.slice(all, cut[0], cut[1]));
             Batches fresh = HyperbolicTraining.batches(HyperbolicTraining.slice(all, cut[1], cut[2]));
             Batches validation = HyperbolicTraining.batches(HyperbolicTraining.slice(all, cut[2], cut[3]));
             Batches test = HyperbolicTraining.batches(testData)) {
            Model base;
            String baseLabel;
            if (c.model() != null) {
                base = Precision.convert(OnnxImporter.read(Path.of(c.model())), DType.FLOAT64);
                if (LengthLayers.of(base).isEmpty()) throw new ModelFormatException(c.model() + ": the model has no length-product layers");
                baseLabel = c.model();
            } else {
                HyperbolicNet.Spec netSpec = spec(c);
                context.log(String.format("training the base model %s on digits [%d, %d) for %d epochs", netSpec, cut[0], cut[1], c.baseEpochs()));
                base = HyperbolicTraining.train(HyperbolicNet.build(netSpec, 0), baseTrain, null,
                        new HyperbolicTraining.Config(c.baseEpochs(), 64, 0.01, "adam", 0, false), null).model();
                baseLabel = netSpec + " trained " + c.baseEpochs() + " epochs on " + (cut[1] - cut[0]) + " digits";
            }
            context.phase("ensemble trainings", (long) c.ensemble().seeds() * c.ensemble().trainingsPerSeed());
            return new Result(baseLabel, OrbitEnsemble.run(base, fresh, validation, test, c.ensemble(), context::step));
        }
    }

    @Override
    public HtmlReport report(Result r) { return HyperbolicEnsembleReport.of(r.ensemble(), r.baseModel()); }

    @Override
    public String headline(Result r) {
        List<String> parts = new ArrayList<>();
        for (var a : r.ensemble().arms()) parts.add(String.format("%s %.4f", a.name(), a.finalMean()));
        return String.join(", ", parts);
    }

    @Override
    public String summary(Result r) {
        StringBuilder b = new StringBuilder(String.format("base model %s: test accuracy %.4f%n", r.baseModel(), r.ensemble().baseTestAccuracy()));
        for (var a : r.ensemble().arms()) {
            b.append(String.format("%-26s final test accuracy %.4f ± %.4f over %d seeds%n", a.name(), a.finalMean(), a.finalStd(),
                    r.ensemble().config().seeds()));
        }
        return b.toString();
    }
}
