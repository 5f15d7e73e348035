package dev.orbit.landscape;

import java.util.Arrays;
import java.util.List;

import dev.orbit.experiment.Context;
import dev.orbit.experiment.Experiment;
import dev.orbit.io.idx.MnistData;
import dev.orbit.report.HtmlReport;

/**
 * {@code symmetry-teleport}: training with teleports chosen for a purpose (largest gradient norm, lower curvature,
 * minimum weight norm) against none and a random teleport; SGD, SGD with momentum, AdaGrad and Adam; an MLP and a small
 * CNN; 5 seeds on the bundled digits. Quick: the MLP, SGD and AdaGrad, 1 seed, 2 epochs of 500 digits (curves need two
 * points), a teleport every 8 steps.
 */
public final class SymmetryTeleportExperiment implements Experiment<SymmetryTeleport.Config, SymmetryTeleport.Result> {
    public static final String MLP = "mlp:784-128-128-10:relu";
    public static final String CNN = "cnn:1x28x28-c16-p-c32-p-fc64-10:relu";
    /** Digits of the 64-digit batch the sharpness arm's Hessian trace reads (docs/PURPOSE.md: why). */
    public static final int SHARPNESS_SAMPLE = 16;

    @Override
    public String name() { return "symmetry-teleport"; }

    @Override
    public SymmetryTeleport.Config defaults() {
        return new SymmetryTeleport.Config(List.of(MLP, CNN), SymmetryTeleport.defaultSettings(), Arrays.asList(SymmetryTeleport.Arm.values()),
                5, 4, 64, 8000, 0.9, 500, 5, 0.05, 0.01, 4, "trace", SHARPNESS_SAMPLE, 0.9);
    }

    @Override
    public SymmetryTeleport.Config quick(SymmetryTeleport.Config c) {
        var settings = c.settings().stream().filter(s -> s.optimizer().equals("sgd") || s.optimizer().equals("adagrad")).toList();
        return new SymmetryTeleport.Config(List.of(c.archs().getFirst()), settings.isEmpty() ? c.settings().subList(0, 1) : settings, c.arms(),
                1, 2, c.batch(), Math.min(c.trainSamples(), 500), c.target(), Math.min(c.every(), 8), Math.min(c.steps(), 3), c.lr(), c.enormLr(),
                c.bound(), c.sharpness(), c.sharpnessSample(), c.randomRange());
    }

    @Override
    public SymmetryTeleport.Result run(SymmetryTeleport.Config c, Context context) {
        context.phase("runs", (long) c.archs().size() * c.settings().size() * c.arms().size() * c.seeds());
        return SymmetryTeleport.run(MnistData.bundled(MnistData.Split.TRAIN), MnistData.bundled(MnistData.Split.TEST), c, context::step);
    }

    @Override
    public HtmlReport report(SymmetryTeleport.Result r) { return SymmetryTeleportReport.of(r); }

    @Override
    public String headline(SymmetryTeleport.Result r) { return "do teleports chosen for a purpose speed up training?"; }

    @Override
    public String summary(SymmetryTeleport.Result r) { return SymmetryTeleportReport.text(r); }
}
