package dev.orbit.spectra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

import com.fasterxml.jackson.annotation.JsonIgnore;

import dev.orbit.graph.Model;
import dev.orbit.symmetry.GroupElement;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.symmetry.Sampling;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.symmetry.SymmetryAnalysis;

/**
 * Which spectral metrics belong to the function and which only to the point on the orbit. The model is moved K
 * times by random permutations alone (a control: every metric must stay put) and K times by random teleports
 * (scalings drawn by {@link Sampling.Cob}, plus permutations); per layer and metric the spread over the orbit is
 * recorded with a verdict. With {@code balanced}, each teleported model is also brought to its balanced point
 * ({@link BalancedPoint}), whose metrics should not depend on where on the orbit it started.
 * <p>Verdict: a metric is <b>invariant</b> when every orbit sample lies within {@link #tolerance} of the original
 * value, else <b>moved</b>. The tolerance, 1e-5·max(1, |v|), sits well above what float32 storage of the moved weights
 * does to an eigenvalue (~1e-7 relative) and far below any move a scaling makes.
 */
public record OrbitSpectra(Config config, double meanWeightChange, List<MetricSpread> metrics,
                           @JsonIgnore ModelSpectrum firstTeleport, @JsonIgnore ModelSpectrum firstBalancedTeleport) {

    public record Config(int teleports, Sampling.Kind sampling, double range, long seed, boolean balanced, EsdOptions esd) {
        public Config {
            if (teleports < 1) throw new IllegalArgumentException("the number of teleports must be positive, got " + teleports);
            new Sampling.Cob(sampling, range, 1); // validates the range
        }
    }

    public enum Verdict { INVARIANT, MOVED }

    /**
     * One metric of one layer over the orbit. {@code balanced*} are null without {@code --balanced}.
     *
     * @param permutationMaxDelta max |Δ| over the permutation-only moves
     * @param teleportMaxDelta    max |Δ| over the teleports
     * @param balancedMaxDelta    max |Δ| between the balanced teleports and the balanced original
     */
    public record MetricSpread(String layer, String metric, double original, double permutationMaxDelta,
                               Verdict permutationVerdict, double teleportMin, double teleportMax, double teleportStd,
                               double teleportMaxDelta, Verdict teleportVerdict, Double balanced, Double balancedMaxDelta,
                               Verdict balancedVerdict) {}

    public static double tolerance(double value) { return 1e-5 * Math.max(1, Math.abs(value)); }

    /**
     * Runs the study. {@code original} and {@code balancedOriginal} are the spectra of the model and of its balanced
     * point (null unless balanced); {@code progress} hears the number of teleports done.
     */
    public static OrbitSpectra run(Model model, ModelSpectrum original, ModelSpectrum balancedOriginal, Config config,
                                   IntConsumer progress) {
        SymmetryAnalysis analysis = SpaceAnalyzer.analyze(model);
        Sampling.Cob cob = new Sampling.Cob(config.sampling(), config.range(), 1);
        List<Map<String, Map<String, Double>>> perms = new ArrayList<>(), teleports = new ArrayList<>(), balanced = new ArrayList<>();
        ModelSpectrum first = null, firstBalanced = null;
        double weightChange = 0;
        for (int k = 0; k < config.teleports(); k++) {
            long seed = config.seed() + k;
            Model permuted = OrbitAction.apply(model, analysis, Sampling.permutations(analysis, seed));
            perms.add(byLayer(ModelSpectrum.of(permuted, config.esd())));
            GroupElement g = Sampling.both(analysis, cob, seed);
            Model moved = OrbitAction.apply(model, analysis, g);
            weightChange += dev.orbit.verify.WeightChange.relative(model, moved);
            ModelSpectrum ms = ModelSpectrum.of(moved, config.esd());
            teleports.add(byLayer(ms));
            if (first == null) first = ms;
            if (config.balanced()) {
                ModelSpectrum bs = ModelSpectrum.of(BalancedPoint.of(moved, SpaceAnalyzer.analyze(moved)).model(), config.esd());
                balanced.add(byLayer(bs));
                if (firstBalanced == null) firstBalanced = bs;
            }
            progress.accept(k + 1);
        }
        Map<String, Map<String, Double>> base = byLayer(original);
        Map<String, Map<String, Double>> balancedBase = balancedOriginal == null ? null : byLayer(balancedOriginal);
        Map<String, String> labels = new LinkedHashMap<>();
        original.layers().forEach(l -> labels.put(l.parameter(), l.layer()));
        List<MetricSpread> spreads = new ArrayList<>();
        for (var layer : base.entrySet()) {
            for (var metric : layer.getValue().entrySet()) {
                String l = layer.getKey(), m = metric.getKey();
                double v = metric.getValue();
                double[] p = values(perms, l, m), t = values(teleports, l, m);
                double pd = maxDelta(p, v), td = maxDelta(t, v);
                Double bv = null, bd = null;
                Verdict bver = null;
                if (balancedBase != null) {
                    bv = balancedBase.containsKey(l) ? balancedBase.get(l).get(m) : Double.NaN;
                    bd = maxDelta(values(balanced, l, m), bv);
                    bver = verdict(bd, bv);
                }
                spreads.add(new MetricSpread(labels.get(l), m, v, pd, verdict(pd, v), min(t), max(t), dev.orbit.numeric.Stats.std(t), td, verdict(td, v), bv, bd, bver));
            }
        }
        return new OrbitSpectra(config, weightChange / config.teleports(), List.copyOf(spreads), first, firstBalanced);
    }

    private static Map<String, Map<String, Double>> byLayer(ModelSpectrum s) {
        Map<String, Map<String, Double>> m = new LinkedHashMap<>();
        for (LayerSpectrum l : s.layers()) m.put(l.parameter(), l.metrics()); // parameter names survive every move
        return m;
    }

    /** NaN where a move made the layer unanalysable (e.g. no eigenvalue left above the power-law floor): moved. */
    private static double[] values(List<Map<String, Map<String, Double>>> samples, String layer, String metric) {
        return samples.stream().mapToDouble(s -> s.containsKey(layer) ? s.get(layer).get(metric) : Double.NaN).toArray();
    }

    private static Verdict verdict(double maxDelta, double value) {
        return maxDelta <= tolerance(value) ? Verdict.INVARIANT : Verdict.MOVED; // NaN: moved
    }

    private static double maxDelta(double[] v, double ref) {
        double d = 0;
        for (double x : v) d = Double.isNaN(x) ? Double.NaN : Math.max(d, Math.abs(x - ref));
        return d;
    }

    private static double min(double[] v) { return java.util.Arrays.stream(v).min().orElse(Double.NaN); }

    private static double max(double[] v) { return java.util.Arrays.stream(v).max().orElse(Double.NaN); }


}
