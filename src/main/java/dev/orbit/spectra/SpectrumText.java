package dev.orbit.spectra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.orbit.report.TextTable;

/** The tables {@link SpectrumExperiment} prints. */
final class SpectrumText {
    private SpectrumText() {}

    static final List<String> LAYER_HEADER = List.of("layer", "op", "out×in", "slices", "Q", "#λ", "log10Σλ", "log10λmax",
            "stable_rank", "entropy", "alpha", "D", "xmin", "n_tail", "α·log10λmax", "log10Σλ^α", "mp_sigma", "mp_edge",
            "spikes", "traps");

    static String of(SpectrumExperiment.Result r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("Weight spectra of %s: %d weight matrices; eigenvalues of WᵀW (no 1/N) in float64 by %s%n",
                r.model(), r.spectrum().layers().size(),
                r.eigenvalueMethod().equals("svd") ? "linalg_svdvals (squared)" : "linalg_eigvalsh of the smaller Gram matrix"));
        spectrum(b, r.spectrum());
        if (r.balanced() != null) {
            var p = r.balanced().point();
            var v = r.balanced().verification();
            b.append(String.format("%nBalanced point: %d scalable neuron spaces, %d sweeps, max |in²−out²|/(in²+out²) = %.1e, "
                    + "Σw² of the scaled parameters %.6g → %.6g%n", p.scaledSpaces(), p.sweeps(), p.maxImbalance(), p.normBefore(), p.normAfter()));
            b.append(String.format("balanced vs original in ONNX Runtime (%s): max rel error %.2e, max abs error %.2e (tolerance %.0e) %s%n",
                    v.inputs(), v.worstRelError(), v.worstAbsError(), v.tolerance(), v.passed() && !v.hasNonFinite() ? "PASS" : "FAIL"));
            spectrum(b, r.balanced().spectrum());
        }
        if (r.orbit() != null) orbit(b, r.orbit());
        return b.toString();
    }

    static void spectrum(StringBuilder b, ModelSpectrum s) {
        List<List<String>> rows = new ArrayList<>();
        for (LayerSpectrum l : s.layers()) rows.add(layerRow(l));
        if (!rows.isEmpty()) b.append(TextTable.of(LAYER_HEADER, rows));
        else b.append("no weight matrix with at least 10 eigenvalues\n");
        for (LayerSpectrum l : s.layers()) for (String w : l.warnings()) b.append("  warning ").append(l.layer()).append(": ").append(w).append('\n');
        for (var k : s.skipped()) b.append("  skipped ").append(k.layer()).append(" (").append(k.op()).append("): ").append(k.reason()).append('\n');
        if (!s.summary().isEmpty()) {
            b.append("mean over layers:");
            s.summary().forEach((k, v) -> b.append(String.format(" %s %.4g", k, v)));
            b.append('\n');
        }
    }

    static List<String> layerRow(LayerSpectrum l) {
        return List.of(l.layer(), l.op(), l.outputs() + "×" + l.inputs(), Integer.toString(l.slices()), f(l.q(), 3),
                Long.toString(l.eigenvalueCount()), f(l.logNorm(), 4), f(l.logSpectralNorm(), 4), f(l.stableRank(), 4),
                f(l.entropy(), 4), f(l.powerLaw().alpha(), 3), f(l.powerLaw().ksDistance(), 3), f(l.powerLaw().xmin(), 4),
                Integer.toString(l.powerLaw().tailSize()), f(l.alphaWeighted(), 4), f(l.logAlphaNorm(), 4),
                f(l.mp().sigma(), 3), f(l.mp().bulkMax(), 4), Integer.toString(l.mp().spikes()),
                Integer.toString(l.randomized().traps()));
    }

    static void orbit(StringBuilder b, OrbitSpectra o) {
        var c = o.config();
        b.append(String.format("%nOrbit: %d teleports (%s, r = %s, with permutations) and %d permutations, seeds %d..%d; "
                        + "weights moved %.0f%% on average (mean|V−W|/mean|W|)%n", c.teleports(), c.sampling().name().toLowerCase(),
                c.range(), c.teleports(), c.seed(), c.seed() + c.teleports() - 1, 100 * o.meanWeightChange()));
        b.append("invariant = every orbit sample within 1e-5·max(1, |v|) of the original; moved otherwise\n");
        boolean bal = c.balanced();
        List<String> header = new ArrayList<>(List.of("layer", "metric", "original", "perm_Δmax", "perm", "teleport_min",
                "teleport_max", "teleport_std", "teleports"));
        if (bal) header.addAll(List.of("balanced", "balanced_Δmax", "balanced"));
        List<List<String>> rows = new ArrayList<>();
        for (var s : o.metrics()) {
            List<String> row = new ArrayList<>(List.of(s.layer(), s.metric(), g(s.original()), e(s.permutationMaxDelta()),
                    word(s.permutationVerdict()), g(s.teleportMin()), g(s.teleportMax()), e(s.teleportStd()), word(s.teleportVerdict())));
            if (bal) row.addAll(List.of(g(s.balanced()), e(s.balancedMaxDelta()), word(s.balancedVerdict())));
            rows.add(row);
        }
        b.append(TextTable.of(header, rows));
        b.append("per metric, layers where it moved under teleports").append(bal ? " (and where the balanced form moved)" : "").append(":\n");
        for (var e : verdicts(o).entrySet()) b.append("  ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
    }

    /** metric → "moved in a/n layers[, balanced form moved in c/n]". */
    static Map<String, String> verdicts(OrbitSpectra o) {
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (var s : o.metrics()) {
            int[] c = counts.computeIfAbsent(s.metric(), k -> new int[4]);
            c[0]++;
            if (s.teleportVerdict() == OrbitSpectra.Verdict.MOVED) c[1]++;
            if (s.permutationVerdict() == OrbitSpectra.Verdict.MOVED) c[2]++;
            if (s.balancedVerdict() == OrbitSpectra.Verdict.MOVED) c[3]++;
        }
        Map<String, String> out = new LinkedHashMap<>();
        counts.forEach((k, c) -> out.put(k, String.format("moved in %d/%d%s%s", c[1], c[0],
                c[2] > 0 ? String.format(", moved by permutations in %d/%d", c[2], c[0]) : "",
                o.config().balanced() ? String.format(", balanced form moved in %d/%d", c[3], c[0]) : "")));
        return out;
    }

    static String word(OrbitSpectra.Verdict v) { return v == null ? "" : v.name().toLowerCase(); }

    static String f(double v, int digits) { return String.format("%." + digits + "g", v); }

    static String g(Double v) { return v == null ? "" : String.format("%.5g", v); }

    static String e(Double v) { return v == null ? "" : String.format("%.1e", v); }
}
