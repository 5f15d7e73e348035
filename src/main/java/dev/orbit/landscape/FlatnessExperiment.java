package dev.orbit.landscape;

import dev.orbit.experiment.Context;
import dev.orbit.experiment.Experiment;
import dev.orbit.io.idx.MnistData;
import dev.orbit.report.HtmlReport;

/**
 * {@code flatness}: two MLPs trained with batch 8 and batch 1024; loss and accuracy along the line between them,
 * before and after teleporting both (intra, r ∈ {0.1, 0.5, 0.9}). Default: 8,000 training digits, 3 and 30 epochs,
 * 21 points; quick: 1,000 digits, 1 and 5 epochs, 5 points.
 */
public final class FlatnessExperiment implements Experiment<Flatness.Config, Flatness.Result> {
    @Override
    public String name() { return "flatness"; }

    @Override
    public Flatness.Config defaults() { return new Flatness.Config("mlp:784-128-10:relu", 8000, 3, 30, new double[] {0.1, 0.5, 0.9}, 21, 0); }

    @Override
    public Flatness.Config quick(Flatness.Config c) { return new Flatness.Config(c.arch(), 1000, 1, 5, c.ranges(), 5, c.seed()); }

    @Override
    public Flatness.Result run(Flatness.Config c, Context context) {
        context.log("training " + c.arch() + " with batch 8 and with batch 1024 ...");
        return Flatness.run(MnistData.bundled(MnistData.Split.TRAIN), MnistData.bundled(MnistData.Split.TEST), c);
    }

    @Override
    public HtmlReport report(Flatness.Result r) { return FlatnessReport.of(r); }

    @Override
    public String headline(Flatness.Result r) { return "loss along the line between small- and large-batch minima"; }

    @Override
    public String summary(Flatness.Result r) {
        StringBuilder b = new StringBuilder(String.format("test accuracy: batch 8 model %.4f, batch 1024 model %.4f%n", r.smallAccuracy(), r.largeAccuracy()));
        for (var curve : r.curves()) {
            b.append(String.format("  %-22s loss at the ends %.4f / %.4f, highest on the line %.4f%n", curve.label(), curve.loss()[0],
                    curve.loss()[curve.loss().length - 1], FlatnessReport.peak(curve)));
        }
        return b.toString();
    }
}
