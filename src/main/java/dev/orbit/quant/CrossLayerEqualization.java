package dev.orbit.quant;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.ops.Role;
import dev.orbit.symmetry.ActivationRegion;
import dev.orbit.symmetry.GroupElement;
import dev.orbit.symmetry.NeuronSpace;
import dev.orbit.symmetry.ParamTouch;
import dev.orbit.symmetry.Scaling;
import dev.orbit.symmetry.SymmetryAnalysis;

/**
 * Cross-layer equalization (Nagel et al. 2019) on every space the analysis finds between two weights: channel i of a
 * space scales the rows it produces by τᵢ and the columns that read it by 1/τᵢ, and τᵢ = √(r₂ᵢ/r₁ᵢ) makes both ranges
 * √(r₁ᵢr₂ᵢ) (r₁: max |w| over the producing weights' slice, r₂: over the reading weights' slice). Spaces share
 * weights (a depthwise conv is read by one space and produces the next), so the scales are updated one space at a
 * time until no factor moves by more than {@code tolerance} (a fixed point). The result is one group element, which
 * the caller applies and verifies like any move. Positive factors only, so positively homogeneous activations are
 * untouched and Clip/ReLU6 takes per-channel bounds (the exact Clip → Max/Min rewrite); a space whose activation
 * would need the τ·f(x/τ) Mul rewrite (tanh, GELU, ...) is left alone, since the Mul would sit between the
 * quantizers.
 */
public final class CrossLayerEqualization {
    private CrossLayerEqualization() {}

    /** The element, the spaces it acts on, the sweeps it took, and the largest range ratio r₁/r₂ before and after. */
    public record Result(GroupElement element, List<Integer> spaces, int sweeps, double worstRatioBefore, double worstRatioAfter) {}

    /** The spaces CLE can act on: positively scalable, with a weight producing and a weight reading them. */
    public static List<NeuronSpace> eligible(Model m, SymmetryAnalysis a) {
        Set<String> weights = weights(m.graph());
        List<NeuronSpace> out = new ArrayList<>();
        for (NeuronSpace s : scalable(m, a)) {
            boolean produced = false, read = false;
            for (ParamTouch t : s.touches()) {
                if (!weights.contains(t.parameter())) continue;
                produced |= t.role() == Role.COVARIANT;
                read |= t.role() == Role.CONTRAVARIANT;
            }
            if (produced && read) out.add(s);
        }
        return out;
    }

    public static Result equalize(Model m, SymmetryAnalysis a, int maxSweeps, double tolerance) {
        List<NeuronSpace> spaces = eligible(m, a);
        Map<String, Slices> w = new HashMap<>();
        for (String p : weights(m.graph())) w.put(p, new Slices(m.graph().parameter(p)));
        Map<Integer, double[]> total = new TreeMap<>();
        for (NeuronSpace s : spaces) total.put(s.id(), ones(s.size()));
        double before = worstRatio(spaces, w);
        int sweep = 0;
        for (; sweep < maxSweeps; sweep++) {
            double moved = 0;
            for (NeuronSpace s : spaces) {
                double[] r1 = range(s, w, Role.COVARIANT);
                double[] r2 = range(s, w, Role.CONTRAVARIANT);
                double[] tau = new double[r1.length];
                for (int i = 0; i < tau.length; i++) {
                    tau[i] = r1[i] > 0 && r2[i] > 0 ? Math.sqrt(r2[i] / r1[i]) : 1;
                    moved = Math.max(moved, Math.abs(Math.log(tau[i])));
                    total.get(s.id())[i] *= tau[i];
                }
                scale(s, w, tau);
            }
            if (moved < tolerance) break;
        }
        return new Result(new GroupElement(Map.of(), total), spaces.stream().map(NeuronSpace::id).toList(), sweep + 1, before,
                worstRatio(spaces, w));
    }

    /** Spaces that take positive factors with no Mul rewrite (activations commute with them or are Clip/Max/Min). */
    static List<NeuronSpace> scalable(Model m, SymmetryAnalysis a) {
        List<NeuronSpace> out = new ArrayList<>();
        for (NeuronSpace s : a.spaces()) if (s.scaling() != Scaling.NONE && clipOrHomogeneous(m.graph(), a, s)) out.add(s);
        return out;
    }

    /** The weights of linear maps: input 1 of Conv, Gemm and MatMul when it is a float parameter of rank ≥ 2. */
    static Set<String> weights(Graph g) {
        Set<String> out = new HashSet<>();
        for (Node n : g.nodes()) {
            if (!n.opType().equals("Conv") && !n.opType().equals("Gemm") && !n.opType().equals("MatMul")) continue;
            String w = n.input(1);
            if (g.isParameter(w) && g.parameter(w).rank() >= 2 && g.parameter(w).dtype().isFloating()) out.add(w);
        }
        return out;
    }

    /** Every activation region on the space either commutes with positive factors or is Clip/Max/Min (bounds scale). */
    private static boolean clipOrHomogeneous(Graph g, SymmetryAnalysis a, NeuronSpace s) {
        for (int r : s.regions()) {
            ActivationRegion region = a.regions().get(r);
            if (region.positivelyHomogeneous()) continue;
            for (String label : region.nodes()) {
                for (Node n : g.nodes()) {
                    if (!n.label().equals(label)) continue;
                    if (!n.opType().equals("Clip") && !n.opType().equals("Max") && !n.opType().equals("Min")) return false;
                }
            }
        }
        return true;
    }

    private static double[] range(NeuronSpace s, Map<String, Slices> w, Role role) {
        double[] r = new double[Math.toIntExact(s.size())];
        for (ParamTouch t : s.touches()) {
            Slices sl = w.get(t.parameter());
            if (sl == null || t.role() != role) continue;
            for (int e = 0; e < r.length; e++) r[e] = Math.max(r[e], sl.maxAbs(t, e));
        }
        return r;
    }

    private static void scale(NeuronSpace s, Map<String, Slices> w, double[] tau) {
        for (ParamTouch t : s.touches()) {
            Slices sl = w.get(t.parameter());
            if (sl == null || t.role() == Role.PERMUTE_ONLY) continue;
            for (int e = 0; e < tau.length; e++) sl.multiply(t, e, t.role() == Role.COVARIANT ? tau[e] : 1 / tau[e]);
        }
    }

    private static double worstRatio(List<NeuronSpace> spaces, Map<String, Slices> w) {
        double worst = 1;
        for (NeuronSpace s : spaces) {
            double[] r1 = range(s, w, Role.COVARIANT);
            double[] r2 = range(s, w, Role.CONTRAVARIANT);
            for (int i = 0; i < r1.length; i++) {
                if (r1[i] > 0 && r2[i] > 0) worst = Math.max(worst, Math.max(r1[i] / r2[i], r2[i] / r1[i]));
            }
        }
        return worst;
    }

    private static double[] ones(long n) {
        double[] v = new double[Math.toIntExact(n)];
        java.util.Arrays.fill(v, 1);
        return v;
    }

    /** A weight in float64 with access to the slice of one unit of a touch (entries offset + e·repeat + k on its axis). */
    private static final class Slices {
        private final double[] v;
        private final long[] shape;

        Slices(dev.orbit.tensor.NdArray a) {
            v = a.toDoubleArray();
            shape = a.shape();
        }

        double maxAbs(ParamTouch t, int unit) {
            double[] m = {0};
            visit(t, unit, i -> m[0] = Math.max(m[0], Math.abs(v[i])));
            return m[0];
        }

        void multiply(ParamTouch t, int unit, double f) { visit(t, unit, i -> v[i] *= f); }

        private void visit(ParamTouch t, int unit, java.util.function.IntConsumer f) {
            long inner = 1;
            for (int d = t.axis() + 1; d < shape.length; d++) inner *= shape[d];
            long axisLen = shape[t.axis()];
            long outer = v.length / (inner * axisLen);
            for (long k = 0; k < t.repeat(); k++) {
                long idx = t.offset() + unit * t.repeat() + k;
                for (long o = 0; o < outer; o++) {
                    long base = (o * axisLen + idx) * inner;
                    for (long j = 0; j < inner; j++) f.accept(Math.toIntExact(base + j));
                }
            }
        }
    }
}
