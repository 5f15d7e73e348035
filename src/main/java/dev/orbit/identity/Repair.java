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

    private record Target(NeuronSpace space, Activations.Site site, int position, double[][] momentsA, double[][] momentsB) {}

    /** What REPAIR needs from the two ends of a path (one graph): each unit's pre-activation and its moments at both ends. */
    static final class Plan {
        private final List<Target> targets;
        private final NdArray data;
        private final List<String> notes = new ArrayList<>();

        private Plan(List<Target> targets, NdArray data) {
            this.targets = targets;
            this.data = data;
        }

        /** The model at {@code alpha} between the ends, its units' statistics set to the interpolated ones. */
        Outcome apply(Model merged, double alpha) {
            Model cur = merged;
            int units = 0;
            List<String> out = new ArrayList<>(notes);
            for (Target t : targets) {
                double[][] mm = Merging.channelMoments(cur, t.site().value(), t.site().axis(), data);
                int n = mm[0].length;
                double[] k = new double[n];
                double[] c = new double[n];
                for (int j = 0; j < n; j++) {
                    double mu = (1 - alpha) * t.momentsA()[0][j] + alpha * t.momentsB()[0][j];
                    double sd = (1 - alpha) * Math.sqrt(t.momentsA()[1][j]) + alpha * Math.sqrt(t.momentsB()[1][j]);
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
                if (!shifted) out.add("REPAIR: space " + t.space().id() + " has no bias; only its scale was corrected");
                Map<String, NdArray> params = new LinkedHashMap<>();
                for (var e : changed.entrySet()) {
                    NdArray old = cur.graph().parameter(e.getKey());
                    params.put(e.getKey(), NdArray.ofDoubles(e.getValue().data, old.shape()).to(old.dtype()));
                }
                cur = cur.withGraph(cur.graph().withParameters(params));
                units += n;
            }
            return new Outcome(cur, units, out);
        }
    }

    private Repair() {}

    /** Finds every unit's pre-activation and measures it at both ends ({@code a}, {@code b}: one graph). */
    static Plan plan(Model a, Model b, NdArray data) {
        SymmetryAnalysis analysis = SpaceAnalyzer.analyze(a);
        List<Activations.Site> sites = Activations.sites(analysis, a, data);
        List<Node> nodes = a.graph().nodes();
        Map<String, Integer> producer = new HashMap<>();
        Map<String, Integer> lastReader = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (String o : nodes.get(i).outputs()) producer.put(o, i);
            for (String in : nodes.get(i).inputs()) lastReader.merge(in, i, Math::max);
        }
        List<Activations.Site> chosen = new ArrayList<>();
        List<NeuronSpace> spaces = new ArrayList<>();
        for (NeuronSpace s : analysis.spaces()) {
            List<ParamTouch> cov = covariant(s, a);
            if (cov.stream().noneMatch(t -> a.graph().parameter(t.parameter()).rank() >= 2)) continue;
            int ready = cov.stream().mapToInt(t -> lastReader.getOrDefault(t.parameter(), -1)).max().orElse(-1);
            sites.stream().filter(x -> x.space().id() == s.id() && producer.getOrDefault(x.value(), -1) >= ready)
                    .min(Comparator.comparingInt(x -> producer.get(x.value())))
                    .ifPresent(x -> {
                        chosen.add(x);
                        spaces.add(s);
                    });
        }
        List<double[][]> ma = Merging.channelMoments(a, chosen, data);
        List<double[][]> mb = Merging.channelMoments(b, chosen, data);
        List<Target> targets = new ArrayList<>();
        for (int i = 0; i < chosen.size(); i++) {
            targets.add(new Target(spaces.get(i), chosen.get(i), producer.get(chosen.get(i).value()), ma.get(i), mb.get(i)));
        }
        targets.sort(Comparator.comparingInt(Target::position));
        Plan p = new Plan(targets, data);
        if (targets.isEmpty()) p.notes.add("REPAIR: no unit's pre-activation was found; nothing corrected");
        return p;
    }

    /** The touches a positive scaling of the space multiplies (channel by channel). */
    private static List<ParamTouch> covariant(NeuronSpace s, Model m) {
        return s.touches().stream().filter(t -> t.role() == Role.COVARIANT && t.unit() == 1 && m.graph().parameter(t.parameter()) != null).toList();
    }
}
