package dev.orbit.identity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.ops.Role;
import dev.orbit.symmetry.NeuronSpace;
import dev.orbit.symmetry.ParamTouch;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.symmetry.SymmetryAnalysis;
import dev.orbit.tensor.NdArray;

/**
 * REPAIR (Jordan, Sedghi, Saukh, Entezari and Neyshabur, 2022) for any graph the analysis understands: for every
 * unit, its pre-activation z — the first hidden value carrying the unit's space once every parameter its scaling
 * multiplies (incoming weights, bias) has been read ({@link Activations#sites}) — gets in the merged model the mean
 * and standard deviation interpolated between the two ends: z ← k·z + c with k = σ_target/σ_merged and
 * c = μ_target − k·μ_merged, folded into the unit's incoming weights (×k) and its bias (×k, + c). Units are repaired
 * in node order, each measured after the earlier ones are corrected. A space without a bias gets only its scale.
 */
final class Repair {
    record Outcome(Model model, int units, List<String> notes) {}

    private record Target(NeuronSpace space, Activations.Site site, int position) {}

    private Repair() {}

    static Outcome apply(Model merged, Model a, Model b, double alpha, NdArray data) {
        SymmetryAnalysis analysis = SpaceAnalyzer.analyze(merged);
        List<Activations.Site> sites = Activations.sites(analysis, merged, data);
        List<Node> nodes = merged.graph().nodes();
        Map<String, Integer> producer = new HashMap<>();
        Map<String, Integer> lastReader = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (String o : nodes.get(i).outputs()) producer.put(o, i);
            for (String in : nodes.get(i).inputs()) lastReader.merge(in, i, Math::max);
        }
        List<Target> targets = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (NeuronSpace s : analysis.spaces()) {
            List<ParamTouch> cov = covariant(s, merged);
            if (cov.stream().noneMatch(t -> merged.graph().parameter(t.parameter()).rank() >= 2)) continue;
            int ready = cov.stream().mapToInt(t -> lastReader.getOrDefault(t.parameter(), -1)).max().orElse(-1);
            sites.stream().filter(x -> x.space().id() == s.id() && producer.getOrDefault(x.value(), -1) >= ready)
                    .min(Comparator.comparingInt(x -> producer.get(x.value())))
                    .ifPresent(x -> targets.add(new Target(s, x, producer.get(x.value()))));
        }
        targets.sort(Comparator.comparingInt(Target::position));
        Model cur = merged;
        int units = 0;
        for (Target t : targets) {
            double[][] ma = Merging.channelMoments(a, t.site().value(), t.site().axis(), data);
            double[][] mb = Merging.channelMoments(b, t.site().value(), t.site().axis(), data);
            double[][] mm = Merging.channelMoments(cur, t.site().value(), t.site().axis(), data);
            int n = ma[0].length;
            double[] k = new double[n];
            double[] c = new double[n];
            for (int j = 0; j < n; j++) {
                double mu = (1 - alpha) * ma[0][j] + alpha * mb[0][j];
                double sd = (1 - alpha) * Math.sqrt(ma[1][j]) + alpha * Math.sqrt(mb[1][j]);
                double sm = Math.sqrt(mm[1][j]);
                k[j] = sm > 1e-12 ? sd / sm : 1;
                c[j] = mu - k[j] * mm[0][j];
            }
            Map<String, Tensor64> changed = new LinkedHashMap<>();
            boolean shifted = false;
            int[] id = new int[n];
            for (int j = 0; j < n; j++) id[j] = j;
            Model base = cur;
            for (ParamTouch p : covariant(t.space(), base)) {
                Tensor64 w = changed.computeIfAbsent(p.parameter(), x -> Tensor64.of(base.graph().parameter(x)));
                w.gatherScale(p.axis(), p.offset(), p.repeat(), id, k);
                if (w.rank() == 1 && p.repeat() == 1 && !shifted) {
                    for (int j = 0; j < n; j++) w.data[Math.toIntExact(p.offset() + j)] += c[j];
                    shifted = true;
                }
            }
            if (!shifted) notes.add("REPAIR: space " + t.space().id() + " has no bias; only its scale was corrected");
            Map<String, NdArray> out = new LinkedHashMap<>();
            for (var e : changed.entrySet()) {
                NdArray old = cur.graph().parameter(e.getKey());
                out.put(e.getKey(), NdArray.ofDoubles(e.getValue().data, old.shape()).to(old.dtype()));
            }
            cur = cur.withGraph(cur.graph().withParameters(out));
            units += n;
        }
        if (targets.isEmpty()) notes.add("REPAIR: no unit's pre-activation was found; nothing corrected");
        return new Outcome(cur, units, notes);
    }

    /** The touches a positive scaling of the space multiplies (channel by channel). */
    private static List<ParamTouch> covariant(NeuronSpace s, Model m) {
        return s.touches().stream().filter(t -> t.role() == Role.COVARIANT && t.unit() == 1 && m.graph().parameter(t.parameter()) != null).toList();
    }
}
