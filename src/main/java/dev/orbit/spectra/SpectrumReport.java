package dev.orbit.spectra;

import java.util.ArrayList;
import java.util.List;

import dev.orbit.report.Charts;
import dev.orbit.report.HtmlReport;

/** The HTML report of {@link SpectrumExperiment}: tables plus log-log ESDs with the fitted MP and power-law curves. */
final class SpectrumReport {
    /** Where the layer table's power-law and Marchenko–Pastur columns begin (after entropy). */
    private static final int FIRST_FIT_COLUMN = 10;

    private SpectrumReport() {}

    private static List<String> columns(List<String> row, int from, int to) { return row.subList(from, to); }

    static HtmlReport of(SpectrumExperiment.Result r) {
        HtmlReport h = new HtmlReport("Weight spectra: " + r.model());
        h.heading("What was measured");
        h.paragraph("Per weight matrix W (Gemm, MatMul with a parameter operand, Conv kernels as kh·kw pooled N×C taps), the "
                + "eigenvalues λ of WᵀW with no 1/N factor, in float64 ("
                + (r.eigenvalueMethod().equals("svd") ? "squared singular values from linalg_svdvals" : "linalg_eigvalsh of the smaller Gram matrix")
                + "). Conv eigenvalues are not halved (WeightWatcher's default conv2d_norm is not applied). α is the "
                + "power-law exponent of the ESD tail by the Clauset–Shalizi–Newman scan (x_min with the smallest KS distance D); "
                + "the Marchenko–Pastur (MP) law is fitted to the ESD rescaled to mean 1 (σ ≈ 1 for a random matrix); spikes "
                + "are eigenvalues above the MP edge plus a Tracy–Widom margin; traps are such eigenvalues of the entry-shuffled "
                + "matrix (correlation traps: a few unusually large entries).");
        spectrum(h, r.spectrum(), "");
        if (r.balanced() != null) {
            var p = r.balanced().point();
            var v = r.balanced().verification();
            h.heading("Balanced point");
            h.paragraph(String.format("Per-neuron positive scaling that equalises every scalable hidden neuron's incoming and "
                            + "outgoing squared norms (%d spaces, %d sweeps, max imbalance %.1e): the minimum-norm point of the scaling "
                            + "orbit, Σw² %.6g → %.6g. Balanced vs original in ONNX Runtime on %s: max relative error %.2e, max "
                            + "absolute error %.2e, tolerance %.0e: %s.", p.scaledSpaces(), p.sweeps(), p.maxImbalance(), p.normBefore(),
                    p.normAfter(), v.inputs(), v.worstRelError(), v.worstAbsError(), v.tolerance(), v.passed() ? "PASS" : "FAIL"));
            spectrum(h, r.balanced().spectrum(), " (balanced)");
        }
        if (r.orbit() != null) orbit(h, r);
        return h;
    }

    private static void spectrum(HtmlReport h, ModelSpectrum s, String suffix) {
        h.heading("Layers" + suffix);
        // the terminal's 20 columns as two tables that fit the page: shape and norms, then the fitted laws
        List<List<String>> rows = new ArrayList<>();
        for (LayerSpectrum l : s.layers()) rows.add(SpectrumText.layerRow(l));
        h.table(columns(SpectrumText.LAYER_HEADER, 0, FIRST_FIT_COLUMN), rows.stream().map(r -> columns(r, 0, FIRST_FIT_COLUMN)).toList());
        List<String> fitHeader = new ArrayList<>(List.of(SpectrumText.LAYER_HEADER.getFirst()));
        fitHeader.addAll(columns(SpectrumText.LAYER_HEADER, FIRST_FIT_COLUMN, SpectrumText.LAYER_HEADER.size()));
        h.table(fitHeader, rows.stream().map(r -> {
            List<String> row = new ArrayList<>(List.of(r.getFirst()));
            row.addAll(columns(r, FIRST_FIT_COLUMN, r.size()));
            return row;
        }).toList());
        List<String> notes = new ArrayList<>();
        for (LayerSpectrum l : s.layers()) for (String w : l.warnings()) notes.add(l.layer() + ": " + w);
        for (var k : s.skipped()) notes.add("skipped " + k.layer() + " (" + k.op() + "): " + k.reason());
        for (String n : notes) h.paragraph(n);
        for (LayerSpectrum l : s.layers()) {
            h.chart(esdChart(l, suffix), String.format("%s%s: ESD of WᵀW (%d eigenvalues, %s). Power law α = %.3f from x_min = %.4g "
                            + "(%d eigenvalues, D = %.3f); MP σ = %.3f, bulk edge %.4g, %d spikes; shuffled matrix: %d correlation traps.",
                    l.layer(), suffix, l.eigenvalueCount(), l.note(), l.powerLaw().alpha(), l.powerLaw().xmin(),
                    l.powerLaw().tailSize(), l.powerLaw().ksDistance(), l.mp().sigma(), l.mp().bulkMax(), l.mp().spikes(),
                    l.randomized().traps()));
        }
    }

    static String esdChart(LayerSpectrum l, String suffix) {
        double[] ev = l.eigenvalues();
        int bins = EsdHistogram.defaultBins(ev.length);
        EsdHistogram esd = EsdHistogram.of(ev, bins);
        EsdHistogram shuffled = EsdHistogram.of(l.randomized().eigenvalues(), bins);
        var pl = l.powerLaw();
        double[] xPl = EsdHistogram.logSpace(pl.xmin(), pl.xmax(), 100);
        double fraction = (double) pl.tailSize() / ev.length;
        double[] yPl = java.util.Arrays.stream(xPl).map(x -> pl.density(x, fraction)).toArray();
        var mp = l.mp();
        double lo = Math.max(mp.bulkMin(), mp.bulkMax() * 1e-4);
        double[] xMp = EsdHistogram.logSpace(lo, mp.bulkMax() * 0.9999, 300);
        double[] yMp = java.util.Arrays.stream(xMp).map(mp::rawDensity).toArray();
        double peak = java.util.Arrays.stream(yMp).max().orElse(0);
        for (int i = 0; i < yMp.length; i++) if (yMp[i] < 1e-2 * peak) yMp[i] = 0; // the square-root edges would stretch the log axis
        return Charts.logLog(l.layer() + suffix, "eigenvalue λ of WᵀW", "density", List.of(
                Charts.Series.points("ESD", esd.centres(), esd.density()),
                Charts.Series.points("shuffled entries", shuffled.centres(), shuffled.density()),
                Charts.Series.curve(String.format("power law α = %.2f", pl.alpha()), xPl, yPl),
                Charts.Series.curve(String.format("MP σ = %.2f", mp.sigma()), xMp, yMp)));
    }

    private static void orbit(HtmlReport h, SpectrumExperiment.Result r) {
        var o = r.orbit();
        var c = o.config();
        h.heading("Along the orbit");
        h.paragraph(String.format("%d teleports (%s sampling, r = %s, with random permutations) and, as a control, %d random "
                        + "permutations alone; the weights moved %.0f%% on average (mean|V−W|/mean|W|) while the function stayed the same. "
                        + "A metric is invariant when every sample lies within 1e-5·max(1, |v|) of the original value.%s",
                c.teleports(), c.sampling().name().toLowerCase(), c.range(), c.teleports(), 100 * o.meanWeightChange(),
                c.balanced() ? " Each teleported model was also brought to its balanced point and compared with the balanced original." : ""));
        List<List<String>> summary = new ArrayList<>();
        SpectrumText.verdicts(o).forEach((k, v) -> summary.add(List.of(k, v)));
        h.table(List.of("metric", "over the layers"), summary);
        List<String> header = new ArrayList<>(List.of("layer", "metric", "original", "perm Δmax", "teleport min", "teleport max",
                "teleport std", "teleports"));
        if (c.balanced()) header.addAll(List.of("balanced", "balanced Δmax", "balanced form"));
        List<List<String>> rows = new ArrayList<>();
        for (var s : o.metrics()) {
            List<String> row = new ArrayList<>(List.of(s.layer(), s.metric(), SpectrumText.g(s.original()),
                    SpectrumText.e(s.permutationMaxDelta()), SpectrumText.g(s.teleportMin()), SpectrumText.g(s.teleportMax()),
                    SpectrumText.e(s.teleportStd()), SpectrumText.word(s.teleportVerdict())));
            if (c.balanced()) row.addAll(List.of(SpectrumText.g(s.balanced()), SpectrumText.e(s.balancedMaxDelta()),
                    SpectrumText.word(s.balancedVerdict())));
            rows.add(row);
        }
        h.table(header, rows);
        for (int i = 0; i < r.spectrum().layers().size(); i++) {
            LayerSpectrum a = r.spectrum().layers().get(i);
            List<Charts.Series> series = new ArrayList<>();
            add(series, "original", a, true);
            add(series, "teleported (first)", o.firstTeleport().layers().get(i), true);
            if (r.balanced() != null) add(series, "balanced original", r.balanced().spectrum().layers().get(i), true);
            if (o.firstBalancedTeleport() != null) add(series, "balanced teleported (first), markers", o.firstBalancedTeleport().layers().get(i), false);
            h.chart(Charts.logLog(a.layer() + " along the orbit", "eigenvalue λ of WᵀW", "density", series),
                    a.layer() + ": the same function at different points of its orbit. A teleport reshapes the ESD; balancing "
                            + "brings every point of the orbit back to one spectrum.");
        }
    }

    private static void add(List<Charts.Series> series, String name, LayerSpectrum l, boolean line) {
        EsdHistogram e = EsdHistogram.of(l.eigenvalues(), EsdHistogram.defaultBins(l.eigenvalues().length));
        series.add(line ? Charts.Series.curve(name, e.centres(), e.density()) : Charts.Series.points(name, e.centres(), e.density()));
    }
}
