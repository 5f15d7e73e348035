package dev.orbit.identity;

import java.util.List;

import dev.orbit.experiment.Context;
import dev.orbit.experiment.Experiment;
import dev.orbit.experiment.Verdict;
import dev.orbit.io.idx.MnistData;
import dev.orbit.report.HtmlReport;

/**
 * {@code mode-connectivity}: loss and accuracy along the straight line between independently trained models, naive
 * and after weight or activation matching (with REPAIR or a BatchNorm reset). Default: the MLP 784-512x3-10 and the
 * CNN 1x28x28-c8/bn-p-c16/bn-p-10 (BatchNorm), 3 seeds, 5 epochs on the 8,000 training digits, 25 points on
 * the 2,000 test digits. Quick: 1 epoch on 2,000 digits, 7 points on 500 test digits, 500 digits for activations.
 */
public final class ModeConnectivityExperiment implements Experiment<ModeConnectivity.Config, ModeConnectivity.Result> {
    public static final String MLP = "mlp:784-512x3-10:relu";
    public static final String CNN = "cnn:1x28x28-c8/bn-p-c16/bn-p-10:relu";

    @Override
    public String name() { return "mode-connectivity"; }

    @Override
    public ModeConnectivity.Config defaults() {
        return new ModeConnectivity.Config(List.of(MLP, CNN), 3, 5, 8000, Digits.DEFAULT_SAMPLES, 2000, 25, 0.1, 64);
    }

    @Override
    public ModeConnectivity.Config quick(ModeConnectivity.Config c) {
        return new ModeConnectivity.Config(c.archs(), c.seeds(), 1, 2000, 500, 500, 7, c.lr(), c.batch());
    }

    @Override
    public ModeConnectivity.Result run(ModeConnectivity.Config c, Context context) {
        return ModeConnectivity.run(c, MnistData.bundled(MnistData.Split.TRAIN), MnistData.bundled(MnistData.Split.TEST), context::log);
    }

    @Override
    public HtmlReport report(ModeConnectivity.Result r) { return ModeConnectivityReport.of(r); }

    @Override
    public String headline(ModeConnectivity.Result r) {
        var first = r.archs().getFirst();
        return String.format("%s: loss barrier %.3f naive, %.3f weight-matched", first.spec(), first.meanBarrier().get(ModeConnectivity.NAIVE),
                first.meanBarrier().get(ModeConnectivity.WEIGHTS));
    }

    @Override
    public String summary(ModeConnectivity.Result r) { return ModeConnectivityReport.table(r); }

    @Override
    public Verdict verdict(ModeConnectivity.Result r) { return r.allVerified() ? Verdict.PASSED : Verdict.FAILED; }
}
