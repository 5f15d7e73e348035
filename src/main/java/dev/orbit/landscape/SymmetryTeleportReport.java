package dev.orbit.landscape;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import dev.orbit.numeric.Stats;
import dev.orbit.report.Charts;
import dev.orbit.report.HtmlReport;

/** The report of {@link SymmetryTeleportExperiment}. */
final class SymmetryTeleportReport {
    private SymmetryTeleportReport() {}

    /** mean ± std over the finite values, with n; "not reached" when none is finite. */
    static String meanStd(List<SymmetryTeleport.Run> runs, ToDoubleFunction<SymmetryTeleport.Run> f, String format) {
        double[] v = runs.stream().mapToDouble(f).filter(Double::isFinite).toArray();
        if (v.length == 0) return "not reached";
        return String.format(format + " ± " + format + " (%d/%d)", Stats.mean(v), Stats.std(v), v.length, runs.size());
    }

    static double mean(List<SymmetryTeleport.Run> runs, ToDoubleFunction<SymmetryTeleport.Run> f) {
        double[] v = runs.stream().mapToDouble(f).filter(Double::isFinite).toArray();
        return v.length == 0 ? Double.NaN : Stats.mean(v);
    }

    static double last(double[] v) { return v[v.length - 1]; }

    /** Teleport seconds over training seconds (teleports included), over all runs of a cell. */
    static double teleportShare(SymmetryTeleport.Cell c) {
        double tele = 0, total = 0;
        for (var r : c.runs()) {
            tele += r.teleportSeconds();
            total += last(r.seconds());
        }
        return total > 0 ? tele / total : 0;
    }

    static String text(SymmetryTeleport.Result r) {
        var c = r.config();
        StringBuilder b = new StringBuilder(String.format("%d archs × %d optimisers × %d arms × %d seeds, %d epochs, target %.0f%%, teleport every %d steps "
                + "(%d optimiser steps, lr %s; ENorm lr %s; factors within [1/%s, %s]; sharpness: %s); %.0f s (warm-up teleports %.1f s), %s%n", c.archs().size(), c.settings().size(),
                c.arms().size(), c.seeds(), c.epochs(), 100 * c.target(), c.every(), c.steps(), c.lr(), c.enormLr(), c.bound(), c.bound(), sharpnessArm(c),
                r.seconds(), r.warmUpSeconds(), r.load()));
        b.append("  cells: epochs to target | seconds to target | final test accuracy | teleport share of wall-clock | worst ORT error\n");
        for (var cell : r.cells()) {
            b.append(String.format("  %-8s %-18s %-10s %s | %s | %s | %.1f%% | %.1e%n", cell.arch().substring(0, 3), cell.setting().label(), cell.arm().label(),
                    meanStd(cell.runs(), SymmetryTeleport.Run::epochsToTarget, "%.1f"), meanStd(cell.runs(), SymmetryTeleport.Run::secondsToTarget, "%.1f"),
                    meanStd(cell.runs(), run -> last(run.testAccuracy()), "%.4f"), 100 * teleportShare(cell),
                    cell.runs().stream().mapToDouble(SymmetryTeleport.Run::worstMoveError).max().orElse(0)));
        }
        for (String v : verdicts(r)) b.append("  ").append(v).append(System.lineSeparator());
        return b.toString();
    }

    /** Per arch and optimiser: does gradient-norm teleport lower the training loss after the first epoch, and reach the target sooner? */
    static List<String> verdicts(SymmetryTeleport.Result r) {
        List<String> out = new ArrayList<>();
        Map<String, List<SymmetryTeleport.Cell>> groups = new LinkedHashMap<>();
        for (var cell : r.cells()) groups.computeIfAbsent(cell.arch() + " · " + cell.setting().label(), k -> new ArrayList<>()).add(cell);
        for (var e : groups.entrySet()) {
            var none = find(e.getValue(), SymmetryTeleport.Arm.NONE);
            if (none == null) continue;
            List<String> parts = new ArrayList<>();
            for (var arm : List.of(SymmetryTeleport.Arm.GRAD_NORM, SymmetryTeleport.Arm.SHARPNESS, SymmetryTeleport.Arm.ENORM, SymmetryTeleport.Arm.RANDOM)) {
                var cell = find(e.getValue(), arm);
                if (cell == null) continue;
                double l0 = mean(none.runs(), run -> run.trainLoss()[0]), l1 = mean(cell.runs(), run -> run.trainLoss()[0]);
                double a0 = mean(none.runs(), run -> last(run.testAccuracy())), a1 = mean(cell.runs(), run -> last(run.testAccuracy()));
                parts.add(String.format("%s: first-epoch train loss %s (%.4f vs %.4f), final accuracy %+.4f", arm.label(),
                        l1 < l0 ? "lower" : "not lower", l1, l0, a1 - a0));
            }
            out.add(e.getKey() + ": " + String.join("; ", parts));
        }
        return out;
    }

    private static SymmetryTeleport.Cell find(List<SymmetryTeleport.Cell> cells, SymmetryTeleport.Arm arm) {
        return cells.stream().filter(c -> c.arm() == arm).findFirst().orElse(null);
    }

    static HtmlReport of(SymmetryTeleport.Result r) {
        var c = r.config();
        HtmlReport h = new HtmlReport("Symmetry teleportation: moves chosen to speed up training");
        h.heading("What the papers claim");
        h.paragraph("Symmetry teleportation (Zhao, Dehmamy, Walters and Yu, NeurIPS 2022) moves along the orbit to a point of larger gradient "
                + "norm and reports fewer epochs to a given loss for MLPs on MNIST with SGD and AdaGrad. The follow-up (Zhao et al., ICLR 2024) "
                + "teleports toward points of chosen curvature to help generalisation. Equi-normalisation (Stock et al., 2019) moves to the "
                + "minimum-norm point of the scaling orbit between SGD steps. Neural teleportation's random teleport (inter, r = 0.9) is the control "
                + "that chooses nothing.");
        h.heading("What was run");
        h.paragraph(String.format("%s; optimisers %s, constant learning rates, no weight decay, no augmentation; batch %d; %,d bundled training digits, "
                        + "tested on the 2,000 held-out ones; %d epochs; %d seeds (every arm trains the same initialisation on the same batches). "
                        + "Purposeful arms teleport at step 0 and every %d steps: %d orbit-optimiser steps (ln-objective learning rate %s, weight-norm "
                        + "learning rate %s), one log-scale per neuron, factors within [1/%s, %s], on the batch the next step uses. Sharpness arm: %s. "
                        + "Random arm: one inter teleport r = %s at initialisation. Every teleport was verified in ONNX Runtime against the unmoved model "
                        + "on its batch (tolerance %s, worst error below). Target accuracy %.0f%%. Wall-clock: training steps and teleports, without "
                        + "the per-epoch test evaluation and without the ONNX Runtime checks. %.0f s in all (of which %.1f s untimed warm-up teleports, "
                        + "%d per purposeful arm and architecture, before the first run), %s.",
                String.join(", ", c.archs()), String.join(", ", c.settings().stream().map(SymmetryTeleport.Setting::label).toList()), c.batch(),
                c.trainSamples(), c.epochs(), c.seeds(), c.every(), c.steps(), c.lr(), c.enormLr(), c.bound(), c.bound(),
                sharpnessArm(c),
                c.randomRange(), dev.orbit.verify.Tolerance.MOVE.maxRelativeError(), 100 * c.target(), r.seconds(), r.warmUpSeconds(),
                SymmetryTeleport.WARM_UP_ROUNDS, r.load()));
        h.heading("What Orbit measured");
        List<String> headers = new ArrayList<>(List.of("arch", "optimiser"));
        List<SymmetryTeleport.Arm> arms = c.arms();
        for (var a : arms) headers.add(a.label());
        table(h, r, headers, "Epochs to the target (mean ± std over the seeds that reached it; reached/seeds).",
                cell -> meanStd(cell.runs(), SymmetryTeleport.Run::epochsToTarget, "%.1f"));
        table(h, r, headers, "Wall-clock seconds to the target, teleports included (mean ± std; reached/seeds).",
                cell -> meanStd(cell.runs(), SymmetryTeleport.Run::secondsToTarget, "%.1f"));
        table(h, r, headers, "Final test accuracy (mean ± std over all seeds).", cell -> meanStd(cell.runs(), run -> last(run.testAccuracy()), "%.4f"));
        table(h, r, headers, "Training loss after the first epoch (mean ± std).", cell -> meanStd(cell.runs(), run -> run.trainLoss()[0], "%.4f"));
        table(h, r, headers, "Teleports per run, their share of the wall-clock, worst ONNX Runtime error of a teleport.", cell -> cell.runs().isEmpty() ? ""
                : String.format("%d, %.1f%%, %.1e", cell.runs().getFirst().teleports(), 100 * teleportShare(cell),
                        cell.runs().stream().mapToDouble(SymmetryTeleport.Run::worstMoveError).max().orElse(0)));
        h.heading("Where the claims hold");
        for (String v : verdicts(r)) h.paragraph(v);
        double[] epochs = new double[c.epochs()];
        for (int i = 0; i < epochs.length; i++) epochs[i] = i + 1;
        Map<String, List<SymmetryTeleport.Cell>> groups = new LinkedHashMap<>();
        for (var cell : r.cells()) groups.computeIfAbsent(cell.arch() + " · " + cell.setting().label(), k -> new ArrayList<>()).add(cell);
        for (var e : groups.entrySet()) {
            Map<String, double[]> acc = new LinkedHashMap<>(), loss = new LinkedHashMap<>();
            for (var cell : e.getValue()) {
                acc.put(cell.arm().label(), meanCurve(cell, SymmetryTeleport.Run::testAccuracy));
                loss.put(cell.arm().label(), meanCurve(cell, SymmetryTeleport.Run::trainLoss));
            }
            h.chart(Charts.lines(e.getKey() + ": test accuracy", "epoch", "test accuracy (mean over seeds)", epochs, acc),
                    "An arm above 'none' early on is a speed-up; compare with 'random' to see whether choosing the move matters.");
            h.chart(Charts.lines(e.getKey() + ": training loss", "epoch", "training loss (mean over seeds)", epochs, loss),
                    "The papers' claims are about this curve: a purposeful arm below 'none' converges faster.");
        }
        return h;
    }

    /** What the sharpness arm optimises, and on how much of the batch. */
    static String sharpnessArm(SymmetryTeleport.Config c) {
        String what = c.sharpness().equals("trace") ? "Hessian trace by Hutchinson (one Rademacher probe)" : "top Hessian eigenvalue by 3 power steps";
        String on = c.sharpnessSample() > 0 && c.sharpnessSample() < c.batch() ? " on the first " + c.sharpnessSample() + " digits of the batch" : " on the batch";
        return what + on + ", minimised";
    }

    private static void table(HtmlReport h, SymmetryTeleport.Result r, List<String> headers, String caption,
                              java.util.function.Function<SymmetryTeleport.Cell, String> cellText) {
        List<List<String>> rows = new ArrayList<>();
        Map<String, List<SymmetryTeleport.Cell>> groups = new LinkedHashMap<>();
        for (var cell : r.cells()) groups.computeIfAbsent(cell.arch() + "|" + cell.setting().label(), k -> new ArrayList<>()).add(cell);
        for (var cells : groups.values()) {
            List<String> row = new ArrayList<>(List.of(cells.getFirst().arch().substring(0, 3), cells.getFirst().setting().label()));
            for (var cell : cells) row.add(cellText.apply(cell));
            rows.add(row);
        }
        h.paragraph(caption);
        h.table(headers, rows);
    }

    private static double[] meanCurve(SymmetryTeleport.Cell cell, java.util.function.Function<SymmetryTeleport.Run, double[]> f) {
        int n = f.apply(cell.runs().getFirst()).length;
        double[] m = new double[n];
        for (var run : cell.runs()) {
            double[] v = f.apply(run);
            for (int i = 0; i < n; i++) m[i] += v[i] / cell.runs().size();
        }
        return m;
    }

}
