package dev.orbit.spectra;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.orbit.graph.Model;
import dev.orbit.ops.Role;
import dev.orbit.symmetry.GroupElement;
import dev.orbit.symmetry.NeuronSpace;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.symmetry.ParamTouch;
import dev.orbit.symmetry.Scaling;
import dev.orbit.symmetry.SymmetryAnalysis;
import dev.orbit.tensor.NdArray;

/**
 * The canonical balanced point of a model's scaling orbit: the positive per-neuron scaling after which every scalable
 * hidden neuron has equal incoming and outgoing squared norms, in²ⱼ = out²ⱼ. "Incoming" is every parameter entry
 * the neuron's scaling multiplies by τ (the rows of the weights into it and its bias), "outgoing" every entry it
 * divides by τ (the columns of the weights out of it). Scaling neuron j by τ turns Σ_all w² into
 * τ²·in²ⱼ + out²ⱼ/τ² + const, minimal at τ⁴ = out²ⱼ/in²ⱼ, where the two become equal: balancing is coordinate descent
 * on the total squared norm over the orbit, a strictly convex function of log τ, so it converges to the
 * minimum-norm point — the same one from every starting point of the scaling orbit. That makes the spectra of the
 * balanced model functions of the network's function (up to permutations), not of where on the orbit it sits.
 * <p>Sweeps run in float64 on copies of the parameters until no factor moves by more than 1e-12 (relative), then
 * the accumulated factors are applied once, as a {@link GroupElement}, through {@link OrbitAction} (so the stored
 * model sees one rounding). Neurons with an all-zero side stay where they are.
 *
 * @param sweeps         passes over every scalable space until convergence
 * @param maxImbalance   max over neurons of |in² − out²|/(in² + out²) at the end (float64 arithmetic)
 * @param normBefore     Σ w² over every parameter entry the scalings touch, before
 * @param normAfter      the same at the balanced point (the minimum over the orbit)
 */
public record BalancedPoint(@com.fasterxml.jackson.annotation.JsonIgnore Model model,
                            @com.fasterxml.jackson.annotation.JsonIgnore GroupElement element,
                            int scaledSpaces, int sweeps, double maxImbalance, double normBefore, double normAfter) {
    static final int MAX_SWEEPS = 100_000;
    static final double CONVERGED = 1e-12;

    public static BalancedPoint of(Model model, SymmetryAnalysis analysis) {
        Map<String, Param> params = new LinkedHashMap<>();
        List<NeuronSpace> spaces = analysis.spaces().stream()
                .filter(s -> s.scaling() != Scaling.NONE && !s.touches().isEmpty()).toList();
        for (NeuronSpace s : spaces) {
            for (ParamTouch t : s.touches()) {
                params.computeIfAbsent(t.parameter(), n -> Param.of(model.graph().parameter(n)));
            }
        }
        double before = params.values().stream().mapToDouble(Param::squaredNorm).sum();
        Map<Integer, double[]> total = new TreeMap<>();
        for (NeuronSpace s : spaces) total.put(s.id(), ones(Math.toIntExact(s.size())));
        int sweeps = 0;
        double moved = Double.POSITIVE_INFINITY;
        while (moved > CONVERGED && sweeps < MAX_SWEEPS) {
            moved = 0;
            for (NeuronSpace s : spaces) {
                double[][] io = inOut(s, params);
                double[] tau = total.get(s.id());
                double[] step = new double[tau.length];
                for (int j = 0; j < step.length; j++) {
                    step[j] = io[0][j] > 0 && io[1][j] > 0 ? Math.pow(io[1][j] / io[0][j], 0.25) : 1;
                    tau[j] *= step[j];
                    moved = Math.max(moved, Math.abs(Math.log(step[j])));
                }
                for (ParamTouch t : s.touches()) params.get(t.parameter()).scale(t, step, s.size());
            }
            sweeps++;
        }
        if (moved > CONVERGED) {
            throw new ArithmeticException("balancing did not converge in " + MAX_SWEEPS + " sweeps (last step " + moved + ")");
        }
        double imbalance = 0;
        for (NeuronSpace s : spaces) {
            double[][] io = inOut(s, params);
            for (int j = 0; j < io[0].length; j++) {
                if (io[0][j] > 0 && io[1][j] > 0) imbalance = Math.max(imbalance, Math.abs(io[0][j] - io[1][j]) / (io[0][j] + io[1][j]));
            }
        }
        double after = params.values().stream().mapToDouble(Param::squaredNorm).sum();
        GroupElement g = new GroupElement(Map.of(), total);
        Model balanced = OrbitAction.apply(model, analysis, g);
        return new BalancedPoint(balanced, g, spaces.size(), sweeps, imbalance, before, after);
    }

    /** {in², out²} per neuron of a space. */
    private static double[][] inOut(NeuronSpace s, Map<String, Param> params) {
        int size = Math.toIntExact(s.size());
        double[] in = new double[size], out = new double[size];
        for (ParamTouch t : s.touches()) {
            if (t.role() == Role.PERMUTE_ONLY) continue;
            double[] target = t.role() == Role.COVARIANT ? in : out;
            double[] marginal = params.get(t.parameter()).marginal(t.axis());
            for (int j = 0; j < size; j++) {
                for (long k = 0; k < t.repeat(); k++) target[j] += marginal[Math.toIntExact(t.offset() + j * t.repeat() + k)];
            }
        }
        return new double[][] {in, out};
    }

    private static double[] ones(int n) {
        double[] v = new double[n];
        java.util.Arrays.fill(v, 1);
        return v;
    }

    /** A float64 working copy of one parameter, viewed along any axis as [outer, axis, inner]. */
    private record Param(double[] values, long[] shape) {
        static Param of(NdArray a) { return new Param(a.toDoubleArray(), a.shape()); }

        double squaredNorm() {
            double s = 0;
            for (double v : values) s += v * v;
            return s;
        }

        /**
         * Σ w² over every index but {@code axis}, per position along it. Each position's sum runs over the entries in
         * storage order (as one pass over the array would add them), positions in parallel.
         */
        double[] marginal(int axis) {
            int len = Math.toIntExact(shape[axis]);
            int inner = inner(axis);
            int outer = values.length / Math.max(1, len * inner);
            double[] m = new double[len];
            int chunk = Math.max(1, (1 << 16) / Math.max(1, inner)); // positions per task
            java.util.stream.IntStream.range(0, (len + chunk - 1) / chunk).parallel().forEach(c -> {
                int from = c * chunk, to = Math.min(len, from + chunk);
                for (int o = 0; o < outer; o++) {
                    for (int j = from; j < to; j++) {
                        double sum = m[j];
                        for (int i = (o * len + j) * inner, end = i + inner; i < end; i++) sum += values[i] * values[i];
                        m[j] = sum;
                    }
                }
            });
            return m;
        }

        private int inner(int axis) {
            long inner = 1;
            for (int a = axis + 1; a < shape.length; a++) inner *= shape[a];
            return Math.toIntExact(inner);
        }

        /** Multiplies (covariant) or divides (contravariant) the entries of channel j by step[j]. */
        void scale(ParamTouch t, double[] step, long size) {
            if (t.role() == Role.PERMUTE_ONLY) return;
            int len = Math.toIntExact(shape[t.axis()]);
            double[] f = new double[len];
            java.util.Arrays.fill(f, 1);
            for (int j = 0; j < size; j++) {
                double v = t.role() == Role.COVARIANT ? step[j] : 1 / step[j];
                for (long k = 0; k < t.repeat(); k++) f[Math.toIntExact(t.offset() + j * t.repeat() + k)] = v;
            }
            int inner = inner(t.axis());
            int outer = values.length / Math.max(1, len * inner);
            java.util.stream.IntStream.range(0, outer * len).parallel().forEach(r -> {
                double x = f[r % len];
                if (x != 1) for (int i = r * inner, end = i + inner; i < end; i++) values[i] *= x;
            });
        }
    }
}
