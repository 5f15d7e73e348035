package dev.orbit.ode;

import java.util.ArrayList;
import java.util.List;

import dev.orbit.ops.Role;
import dev.orbit.symmetry.GaugeElement;
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

    /**
     * The diagonal gauge G = diag(exp(g_i)) as an Orbit element on the transport model of an N-step chain: its states
     * are the spaces of x_k (k = 1..N−1), so acting with it scales x_k by e^{g(t_k)}; the same element acts on the
     * field ({@link GaugeAction#spatial(LinearField, GaugeElement)}).
     */
    public static GaugeElement element(SymmetryAnalysis a, SineSeries[] perCoordinate, int steps) {
        List<Integer> states = new ArrayList<>();
        for (int k = 1; k < steps; k++) {
            NeuronSpace s = spaceWritten(a, EulerChain.transportName(k - 1));
            if (s.scaling() != Scaling.NONZERO) {
                throw new IllegalStateException("space of x_" + k + " cannot be rescaled: " + s.scaleReason());
            }
            states.add(s.id());
        }
        return MatrixGauge.diagonal(perCoordinate).element(states);
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
