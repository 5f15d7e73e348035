package dev.orbit.landscape;

import java.util.List;

import dev.orbit.experiment.Context;
import dev.orbit.io.idx.MnistData;
import dev.orbit.report.HtmlReport;
import dev.orbit.sweep.SweepableExperiment;
import dev.orbit.sweep.TaskRandom;

/**
 * {@code teleport-training}: training with and without one teleportation (inter, r = 0.9) at initialisation or after
 * an epoch, with the pseudo-teleportation control, over a grid of settings and seeds. Default: the MLP grid, 5 seeds,
 * 8 epochs, 8,000 digits ({@link TeleportTraining.Grid#PAPER} is the grid over architectures and optimisers); quick: two
 * settings per architecture (relu with momentum, tanh with plain SGD), 2 seeds, 2 epochs, 1,000 digits.
 */
public final class TeleportTrainingExperiment
        implements SweepableExperiment<TeleportTraining.Config, TeleportTraining.Result, TeleportTraining.Task, TeleportTraining.Part> {
    @Override
    public String name() { return "teleport-training"; }

    @Override
    public TeleportTraining.Config defaults() {
        return new TeleportTraining.Config(TeleportTraining.defaultGrid("128-128", 8, 8000), 5, 64, 0.9, 0, 0.95);
    }

    @Override
    public TeleportTraining.Config quick(TeleportTraining.Config c) {
        List<TeleportTraining.Setting> grid = new java.util.ArrayList<>();
        for (String arch : c.settings().stream().map(TeleportTraining.Setting::arch).distinct().toList()) {
            grid.add(new TeleportTraining.Setting(arch, "relu", "kaiming", 0.01, "momentum", 2, 1000));
            grid.add(new TeleportTraining.Setting(arch, "tanh", "kaiming", 0.01, "sgd", 2, 1000));
        }
        return new TeleportTraining.Config(grid, 2, c.batch(), c.range(), Math.min(c.atEpoch(), 1), c.target());
    }

    @Override
    public TeleportTraining.Result run(TeleportTraining.Config c, Context context) {
        context.phase("runs", (long) c.settings().size() * 3 * c.seeds());
        return TeleportTraining.run(MnistData.bundled(MnistData.Split.TRAIN), MnistData.bundled(MnistData.Split.TEST), c, context::step);
    }

    @Override
    public Class<TeleportTraining.Config> configType() { return TeleportTraining.Config.class; }

    @Override
    public Class<TeleportTraining.Task> taskType() { return TeleportTraining.Task.class; }

    @Override
    public Class<TeleportTraining.Part> partType() { return TeleportTraining.Part.class; }

    @Override
    public List<TeleportTraining.Task> tasks(TeleportTraining.Config c) { return TeleportTraining.tasks(c); }

    /** The run's seed: initialisation, shuffling and the teleport's factors all derive from it (Java generators). */
    @Override
    public long seed(TeleportTraining.Task t) { return t.seed(); }

    @Override
    public TeleportTraining.Part runTask(TeleportTraining.Config c, TeleportTraining.Task t, TaskRandom random) {
        return TeleportTraining.runTask(MnistData.bundled(MnistData.Split.TRAIN), MnistData.bundled(MnistData.Split.TEST), c, t);
    }

    @Override
    public TeleportTraining.Result merge(TeleportTraining.Config c, List<TeleportTraining.Task> tasks, List<TeleportTraining.Part> parts,
                                         List<String> errors) {
        return TeleportTraining.merge(c, tasks, parts);
    }

    @Override
    public HtmlReport report(TeleportTraining.Result r) { return TeleportTrainingReport.of(r); }

    @Override
    public String headline(TeleportTraining.Result r) { return "does one teleportation speed up training?"; }

    @Override
    public String summary(TeleportTraining.Result r) {
        var c = r.config();
        StringBuilder b = new StringBuilder(String.format("%d settings × 3 arms × %d seeds, teleport %s; epochs to %.0f%% test accuracy "
                + "(mean ± std; n = seeds that reached it) and final accuracy:%n", c.settings().size(), c.seeds(),
                c.atEpoch() == 0 ? "at initialisation" : "after epoch " + c.atEpoch(), 100 * c.target()));
        for (var s : r.results()) {
            b.append(String.format("  %-72s", s.setting().label() + " (" + s.setting().epochs() + " × " + s.setting().trainSamples() + ")"));
            for (var a : s.arms()) b.append(String.format("  %s %s", a.arm().name().toLowerCase(), TeleportTrainingReport.summary(a)));
            b.append(System.lineSeparator());
        }
        return b.toString();
    }
}
