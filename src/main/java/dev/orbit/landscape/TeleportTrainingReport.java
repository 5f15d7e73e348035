package dev.orbit.landscape;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.orbit.numeric.Stats;
import dev.orbit.report.Charts;
import dev.orbit.report.HtmlReport;

/** The report of {@link TeleportTrainingExperiment}. */
final class TeleportTrainingReport {
    private TeleportTrainingReport() {}

    /** One arm: epochs to the target (mean ± std over the seeds that reached it) and the final accuracy. */
    static String summary(TeleportTraining.ArmResult a) {
        double[] e = java.util.Arrays.stream(a.epochsToTarget()).filter(Double::isFinite).toArray();
        double[] fin = java.util.Arrays.stream(a.accuracy()).mapToDouble(row -> row[row.length - 1]).toArray();
        String epochsPart = e.length == 0 ? "not reached" : String.format("%.1f ± %.1f (n=%d)", Stats.mean(e), Stats.std(e), e.length);
        return String.format("%s, final %.4f ± %.4f", epochsPart, Stats.mean(fin), Stats.std(fin));
    }

    private static double finalMean(TeleportTraining.ArmResult a) {
        return Stats.mean(java.util.Arrays.stream(a.accuracy()).mapToDouble(row -> row[row.length - 1]).toArray());
    }

    static HtmlReport of(TeleportTraining.Result r) {
        var c = r.config();
        HtmlReport h = new HtmlReport("Teleport training: does one teleportation speed up SGD?");
        h.heading("What the paper claims");
        h.paragraph("Neural teleportation (arXiv 2012.01118, figs. 6, 8–10): one teleportation at initialisation (inter-landscape, "
                + "r = 0.9) accelerates SGD with and without momentum, for ReLU and other activations and for several initialisers, "
                + "while a pseudo-teleportation (a random shift of the same size) does not; teleporting in the middle of training "
                + "makes the validation accuracy jump. The paper used an MLP 5×500 (and VGG, ResNet, DenseNet) on CIFAR-10/100, "
                + "100 epochs, batch 256, lr 1e-2…1e-4, 5 runs per configuration.");
        h.heading("What was run");
        java.util.Set<String> sizes = new java.util.LinkedHashSet<>();
        for (var s : c.settings()) sizes.add(String.format("%s: %,d digits, %d epochs", s.arch(), s.trainSamples(), s.epochs()));
        h.paragraph(String.format("Scaled to the 2-core machine, on the bundled digits (%s), batch %d, %d seeds per "
                        + "setting, constant learning rate, no weight decay; the teleport is %s; the pseudo-teleport adds Gaussian noise "
                        + "to each parameter tensor with the same L1 norm as the real teleport's change. Each setting runs the three arms "
                        + "on the same seeds and data order. With BatchNorm (the ResNet) the teleport scales each normalised channel "
                        + "on BatchNorm's γ and β rather than on the convolution before it: that form is exact with batch statistics "
                        + "too, so training sees the same function.", String.join("; ", sizes), c.batch(), c.seeds(),
                c.atEpoch() == 0 ? "applied at initialisation" : "applied after epoch " + c.atEpoch()));
        h.heading("What Orbit measured");
        List<List<String>> rows = new ArrayList<>();
        for (var s : r.results()) {
            List<String> row = new ArrayList<>();
            row.add(s.setting().label());
            for (var a : s.arms()) row.add(summary(a));
            rows.add(row);
        }
        h.table(List.of("setting", "plain", "teleported", "pseudo-teleported"), rows);
        h.paragraph(String.format("Cells: epochs to reach %.0f%% test accuracy (mean ± std over the seeds that reached it, n of %d), "
                + "and the final test accuracy (mean ± std).", 100 * c.target(), c.seeds()));
        for (String optimizer : TeleportTraining.OPTIMIZERS) {
            int n = 0, beatsPlain = 0, beatsPseudo = 0;
            for (var s : r.results()) {
                if (!s.setting().optimizer().equals(optimizer)) continue;
                n++;
                double plain = finalMean(s.arms().get(0)), tele = finalMean(s.arms().get(1)), pseudo = finalMean(s.arms().get(2));
                if (tele > plain) beatsPlain++;
                if (tele > pseudo) beatsPseudo++;
            }
            if (n == 0) continue;
            h.paragraph(String.format("%s: the teleported arm ends above the plain arm in %d of %d settings and above the "
                            + "pseudo-teleported control in %d of %d. %s", switch (optimizer) {
                                case "sgd" -> "Plain SGD";
                                case "momentum" -> "SGD with momentum";
                                default -> "Adam";
                            }, beatsPlain, n,
                    beatsPseudo, n, beatsPseudo * 2 > n ? "Agreement with the paper: the gain is more than the size of the move."
                            : "Where the control does as well, the gain comes from the size of the move rather than from the "
                            + "symmetry; this disagrees with the paper's claim for these settings."));
        }
        for (var s : r.results()) {
            double[] epochsAxis = new double[s.setting().epochs()];
            for (int i = 0; i < epochsAxis.length; i++) epochsAxis[i] = i + 1;
            Map<String, double[]> lines = new LinkedHashMap<>();
            for (var a : s.arms()) {
                double[] m = new double[epochsAxis.length];
                for (double[] row : a.accuracy()) for (int i = 0; i < m.length; i++) m[i] += row[i] / a.accuracy().length;
                lines.put(a.arm().name().toLowerCase(), m);
            }
            h.chart(Charts.lines(s.setting().label(), "epoch", "test accuracy (mean over seeds)", epochsAxis, lines),
                    "Look at the early epochs: a teleported arm above both the plain and the pseudo-teleported arm is a speed-up due to the symmetry; "
                            + "above plain only, the size of the move.");
        }
        return h;
    }
}
