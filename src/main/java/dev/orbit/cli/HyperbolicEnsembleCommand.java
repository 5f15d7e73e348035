package dev.orbit.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import dev.orbit.graph.Model;
import dev.orbit.hyperbolic.HyperbolicNet;
import dev.orbit.hyperbolic.HyperbolicTraining;
import dev.orbit.hyperbolic.LengthLayers;
import dev.orbit.hyperbolic.OrbitEnsemble;
import dev.orbit.hyperbolic.Precision;
import dev.orbit.io.idx.MnistData;
import dev.orbit.io.onnx.OnnxImporter;
import dev.orbit.ops.length.HyperbolicLengthProduct;
import dev.orbit.report.Charts;
import dev.orbit.report.HtmlReport;
import dev.orbit.tensor.DType;
import dev.orbit.train.Batches;
import dev.orbit.train.Trainer;

@Command(name = "hyperbolic-ensemble", mixinStandardHelpOptions = true,
        description = {"Orbit ensemble: from a trained length-product model, train N' orbit copies on a fresh split each epoch,",
                "keep the best on a validation split and regrow its orbit; compared over seeds with N' copies of the same",
                "point trained the same way and with one model trained alone. Splits of the 8,000 bundled training digits:",
                "[0, 4000) trains the base model (unless --model), [4000, 7000) is the fresh data, [7000, 8000) validation;",
                "the 2,000 test digits test. With --quick: 784-4-10, 2 seeds, 2 copies, 2 epochs, small splits."})
final class HyperbolicEnsembleCommand implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--model", paramLabel = "MODEL", description = "A trained length-product model (Orbit's form); default: train one (--widths, --space, --base-epochs).")
    Path model;

    @Option(names = "--widths", defaultValue = "784-32-10", description = "Widths of the base model (default ${DEFAULT-VALUE}).")
    String widths;

    @Option(names = "--space", defaultValue = "h2", description = "Space of the base model (default ${DEFAULT-VALUE}).")
    String space;

    @Option(names = "--base-epochs", defaultValue = "3", description = "Epochs of the base model (default ${DEFAULT-VALUE}).")
    int baseEpochs;

    @Option(names = "--copies", defaultValue = "4", description = "N': copies per epoch (default ${DEFAULT-VALUE}).")
    int copies;

    @Option(names = "--seeds", defaultValue = "3", description = "Seeds (default ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--epochs", defaultValue = "4", description = "Ensemble epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--spread", defaultValue = "1.0", description = "Spread of the orbit elements (default ${DEFAULT-VALUE}).")
    double spread;

    @Option(names = "--lr", defaultValue = "0.003", description = "Learning rate of the ensemble epochs, cosine over them (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--optimizer", defaultValue = "adam", description = "adam (default) or sgd.")
    String optimizer;

    @Mixin
    ExperimentOptions experiment;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        OrbitEnsemble.Config config;
        HyperbolicNet.Spec netSpec;
        try {
            config = experiment.quick ? new OrbitEnsemble.Config(2, 2, 2, spread, lr, 64, optimizer.toLowerCase())
                    : new OrbitEnsemble.Config(seeds, copies, epochs, spread, lr, 64, optimizer.toLowerCase());
            new HyperbolicTraining.Config(1, 64, lr, optimizer.toLowerCase(), 0, true);
            netSpec = new HyperbolicNet.Spec(experiment.quick ? List.of(784, 4, 10) : HyperbolicNet.parseWidths(widths),
                    HyperbolicNet.parseSpace(space), HyperbolicLengthProduct.Embedding.HOROCYCLE);
            if (baseEpochs <= 0) throw new IllegalArgumentException("--base-epochs must be positive");
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
        ExperimentOutput.prepare(experiment.output);
        MnistData all = MnistData.bundled(MnistData.Split.TRAIN);
        MnistData testData = MnistData.bundled(MnistData.Split.TEST);
        int[] cut = experiment.quick ? new int[] {0, 300, 500, 600} : new int[] {0, 4000, 7000, 8000};
        if (experiment.quick) testData = HyperbolicTraining.slice(testData, 0, 200);
        var out = spec.commandLine().getOut();
        Model base;
        String baseLabel;
        OrbitEnsemble.Result r;
        try (Batches baseTrain = HyperbolicTraining.batches(HyperbolicTraining.slice(all, cut[0], cut[1]));
             Batches fresh = HyperbolicTraining.batches(HyperbolicTraining.slice(all, cut[1], cut[2]));
             Batches validation = HyperbolicTraining.batches(HyperbolicTraining.slice(all, cut[2], cut[3]));
             Batches test = HyperbolicTraining.batches(testData)) {
            if (model != null) {
                base = Precision.convert(OnnxImporter.read(model), DType.FLOAT64);
                if (LengthLayers.of(base).isEmpty()) throw new UserError(ExitCodes.BAD_INPUT, model + ": the model has no length-product layers");
                baseLabel = model.toString();
            } else {
                int be = experiment.quick ? 1 : baseEpochs;
                out.printf("training the base model %s on digits [%d, %d) for %d epochs%n", netSpec, cut[0], cut[1], be);
                base = HyperbolicTraining.train(HyperbolicNet.build(netSpec, 0), baseTrain, null,
                        new HyperbolicTraining.Config(be, 64, 0.01, "adam", 0, false), null).model();
                baseLabel = netSpec + " trained " + be + " epochs on " + (cut[1] - cut[0]) + " digits";
            }
            try (ProgressBar bar = ExperimentOptions.progress("ensemble trainings", (long) config.seeds() * config.trainingsPerSeed())) {
                r = OrbitEnsemble.run(base, fresh, validation, test, config, bar::stepTo);
            } catch (Trainer.NumericFailure e) {
                throw new UserError(ExitCodes.NUMERIC, e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new UserError(ExitCodes.BAD_INPUT, e.getMessage());
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("base_model", baseLabel);
        result.put("ensemble", r);
        ExperimentOutput.write(experiment.output, "hyperbolic-ensemble", summary(r), result, report(r, baseLabel));
        out.printf("base model %s: test accuracy %.4f%n", baseLabel, r.baseTestAccuracy());
        for (var a : r.arms()) out.printf("%-26s final test accuracy %.4f ± %.4f over %d seeds%n", a.name(), a.finalMean(), a.finalStd(), config.seeds());
        out.println(ExperimentOutput.wrote(experiment.output));
        out.flush();
        return ExitCodes.OK;
    }

    private static String summary(OrbitEnsemble.Result r) {
        List<String> parts = new ArrayList<>();
        for (var a : r.arms()) parts.add(String.format("%s %.4f", a.name(), a.finalMean()));
        return String.join(", ", parts);
    }

    static HtmlReport report(OrbitEnsemble.Result r, String base) {
        var c = r.config();
        HtmlReport h = new HtmlReport("Orbit ensemble of a length-product model");
        h.heading("What was run");
        h.paragraph(String.format("Base model: %s (test accuracy %.4f). Each of %d epochs trains %d copies for one epoch on %,d fresh "
                        + "digits (Adam state reset, lr %s cosine over the epochs), keeps the copy with the best accuracy on %,d "
                        + "validation digits and regrows %d copies from it. Orbit copies are random points of the kept model's orbit "
                        + "(spread %s); the control trains unmoved copies of the kept model; the single model is trained alone. "
                        + "Test accuracy on %,d digits, mean ± std over %d seeds.", base, r.baseTestAccuracy(), c.epochs(), c.copies(),
                r.freshSamples(), c.lr(), r.validationSamples(), c.copies(), c.spread(), r.testSamples(), c.seeds()));
        List<List<String>> rows = new ArrayList<>();
        for (var a : r.arms()) rows.add(List.of(a.name(), String.format("%.4f ± %.4f", a.finalMean(), a.finalStd())));
        h.table(List.of("arm", "final test accuracy"), rows);
        double[] ep = new double[c.epochs()];
        for (int i = 0; i < ep.length; i++) ep[i] = i + 1;
        Map<String, double[]> series = new LinkedHashMap<>();
        for (var a : r.arms()) series.put(a.name(), a.mean());
        h.chart(Charts.lines("Test accuracy of the kept model (mean over seeds)", "epoch", "accuracy", ep, series),
                "Mean over seeds; the table below gives the spread per epoch.");
        for (var a : r.arms()) h.chart(Charts.lineWithSpread(a.name(), "epoch", "accuracy", ep, a.mean(), a.std()), a.name() + ": mean ± std over seeds.");
        List<List<String>> perEpoch = new ArrayList<>();
        for (int e = 0; e < c.epochs(); e++) {
            List<String> row = new ArrayList<>(List.of(Integer.toString(e + 1)));
            for (var a : r.arms()) row.add(String.format("%.4f ± %.4f", a.mean()[e], a.std()[e]));
            perEpoch.add(row);
        }
        List<String> head = new ArrayList<>(List.of("epoch"));
        r.arms().forEach(a -> head.add(a.name()));
        h.table(head, perEpoch);
        var orbit = r.arms().get(0);
        var same = r.arms().get(1);
        double gap = orbit.finalMean() - same.finalMean();
        double noise = Math.max(orbit.finalStd(), same.finalStd());
        h.paragraph(Math.abs(gap) <= noise
                ? String.format("Verdict: the orbit copies and the same-point copies end within one standard deviation of each other "
                        + "(difference %+.4f, std up to %.4f): no measurable benefit from growing the orbit in this setting.", gap, noise)
                : String.format("Verdict: the orbit copies end %s the same-point copies by %.4f (more than the std %.4f).",
                        gap > 0 ? "above" : "below", Math.abs(gap), noise));
        return h;
    }
}
