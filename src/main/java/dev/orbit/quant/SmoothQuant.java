package dev.orbit.quant;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.orbit.graph.Graph;
import dev.orbit.graph.Model;
import dev.orbit.graph.Node;
import dev.orbit.ops.Role;
import dev.orbit.symmetry.GroupElement;
import dev.orbit.symmetry.NeuronSpace;
import dev.orbit.symmetry.ParamTouch;
import dev.orbit.symmetry.SymmetryAnalysis;
import dev.orbit.tensor.NdArray;

/**
 * SmoothQuant (Xiao et al. 2023) on every space the analysis lets scale whose channels a linear map reads: channel j
 * of the activation is divided by sⱼ = max|Xⱼ|^α / max|Wⱼ|^(1−α) and the weight rows that read it are multiplied by
 * sⱼ, which moves activation outliers into the weights. The producer of the space absorbs 1/sⱼ: a norm's gain and
 * bias (the paper's norm → linear case), or the rows of the linear map before it. max|Xⱼ| comes from calibration
 * data, at the input of the linear maps that read the space; max|Wⱼ| over the weights that read it. Spaces whose
 * activation would need the τ·f(x/τ) Mul rewrite are left alone, as in {@link CrossLayerEqualization}.
 */
public final class SmoothQuant {
    private SmoothQuant() {}

    public record Result(GroupElement element, List<Integer> spaces, double maxActivationBefore, double maxActivationAfter) {}

    public static Result smooth(Model m, SymmetryAnalysis a, double alpha, Map<String, NdArray> calibration) {
        Graph g = m.graph();
        Set<String> weights = CrossLayerEqualization.weights(g);
        // candidate spaces and, for each, the value a reading linear map takes in (channel axis: last for MatMul/Gemm, 1 for Conv)
        List<NeuronSpace> spaces = new ArrayList<>();
        List<String> values = new ArrayList<>();
        List<Integer> axes = new ArrayList<>();
        for (NeuronSpace s : CrossLayerEqualization.scalable(m, a)) {
            Set<String> read = new HashSet<>();
            for (ParamTouch t : s.touches()) if (t.role() == Role.CONTRAVARIANT && weights.contains(t.parameter()) && t.repeat() == 1) read.add(t.parameter());
            if (read.isEmpty()) continue;
            for (Node n : g.nodes()) {
                if (!read.contains(n.input(1)) || g.isParameter(n.input(0))) continue;
                spaces.add(s);
                values.add(n.input(0));
                axes.add(n.opType().equals("Conv") ? 1 : -1);
                break;
            }
        }
        if (spaces.isEmpty()) return new Result(GroupElement.identity(), List.of(), 0, 0);
        Map<String, NdArray> acts = Calibration.values(m, values, calibration);
        Map<Integer, double[]> scales = new TreeMap<>();
        double before = 0, after = 0;
        for (int k = 0; k < spaces.size(); k++) {
            NeuronSpace s = spaces.get(k);
            NdArray x = acts.get(values.get(k));
            int axis = axes.get(k) < 0 ? x.rank() - 1 : axes.get(k);
            if (x.dim(axis) != s.size()) continue; // the space is only part of the channels read there
            double[] xmax = Calibration.perChannel(x, axis, true);
            double[] wmax = new double[xmax.length];
            for (ParamTouch t : s.touches()) {
                if (t.role() != Role.CONTRAVARIANT || !weights.contains(t.parameter())) continue;
                NdArray w = g.parameter(t.parameter());
                double[] v = w.toDoubleArray();
                long[] shape = w.shape();
                long inner = 1;
                for (int d = t.axis() + 1; d < shape.length; d++) inner *= shape[d];
                for (int i = 0; i < v.length; i++) {
                    long idx = (i / inner) % shape[t.axis()] - t.offset();
                    if (idx >= 0 && idx < wmax.length) wmax[(int) idx] = Math.max(wmax[(int) idx], Math.abs(v[i]));
                }
            }
            double[] tau = new double[xmax.length];
            for (int j = 0; j < tau.length; j++) {
                double sj = xmax[j] > 0 && wmax[j] > 0 ? Math.pow(xmax[j], alpha) / Math.pow(wmax[j], 1 - alpha) : 1;
                tau[j] = 1 / sj;
                before = Math.max(before, xmax[j]);
                after = Math.max(after, xmax[j] * tau[j]);
            }
            scales.put(s.id(), tau);
        }
        return new Result(new GroupElement(Map.of(), scales), List.copyOf(scales.keySet()), before, after);
    }
}
