package dev.orbit.ode;

import java.util.HashMap;
import java.util.Map;

import dev.orbit.graph.Model;
import dev.orbit.ops.Role;
import dev.orbit.symmetry.GroupElement;
import dev.orbit.symmetry.NeuronSpace;
import dev.orbit.symmetry.ParamTouch;
import dev.orbit.symmetry.Scaling;
import dev.orbit.symmetry.SymmetryAnalysis;

/**
 * The discrete diagonal spatial gauge as an Orbit group element. In the transport form of an Euler chain
 * ({@link EulerChain#transportModel()}) the state after step k is the output of Gemm k: a neuron space of its
 * own, free to rescale (no activation), except the last one, the network output, which is fixed — Orbit's
 * fixed input and output spaces are exactly the boundary conditions g(0) = g(T) = 0. Scaling the space of x_k
 * by τ = e^{g(t_k)} is the per-neuron rescaling W_{k−1} → diag(τ) W_{k−1}, W_k → W_k diag(τ)⁻¹.
 */
public final class DiscreteGauge {
    private DiscreteGauge() {}

    /** g sampled at the N+1 grid times from one sine series per coordinate: g[k][i] = g_i(k·h) (exactly 0 at the ends). */
    public static double[][] sample(SineSeries[] perCoordinate, int steps) {
        double[][] g = new double[steps + 1][perCoordinate.length];
        double endTime = perCoordinate[0].endTime();
        for (int k = 1; k < steps; k++) {
            for (int i = 0; i < perCoordinate.length; i++) g[k][i] = perCoordinate[i].value(k * endTime / steps);
        }
        return g;
    }

    /** The Orbit element scaling the space of x_k (k = 1..N−1) by e^{g[k]}. */
    public static GroupElement element(Model transport, SymmetryAnalysis a, double[][] g) {
        int n = g.length - 1;
        Map<Integer, double[]> scales = new HashMap<>();
        for (int k = 1; k < n; k++) {
            NeuronSpace s = spaceWritten(a, EulerChain.transportName(k - 1));
            if (s.scaling() != Scaling.NONZERO) {
                throw new IllegalStateException("space of x_" + k + " cannot be rescaled: " + s.scaleReason());
            }
            double[] tau = new double[g[k].length];
            for (int i = 0; i < tau.length; i++) tau[i] = Math.exp(g[k][i]);
            scales.put(s.id(), tau);
        }
        return new GroupElement(Map.of(), scales);
    }

    /** The space whose rows of {@code weight} it scales (the output space of that Gemm). */
    static NeuronSpace spaceWritten(SymmetryAnalysis a, String weight) {
        for (NeuronSpace s : a.spaces()) {
            for (ParamTouch t : s.touches()) {
                if (t.parameter().equals(weight) && t.role() == Role.COVARIANT) return s;
            }
        }
        throw new IllegalStateException("no space writes " + weight);
    }
}
