package dev.orbit.symmetry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An ODE gauge: a smooth path G(t) in GL(d) on [0, T] with G(0) = G(T) = I, the product of factors
 * exp(g_f(t)), g_f(t) = Σ_k C_{f,k}·sin(kπt/T) (applied first to last: G = G_last ⋯ G_first). It acts
 * <ul>
 * <li>on a vector field ẋ = f(t, x) as the change of variables x' = G(t)x ({@code dev.orbit.ode.GaugeAction}), and</li>
 * <li>on the field's unrolled Euler model (transport form, one Gemm per step) by rescaling the state after step k by
 *     G(t_k), t_k = kT/N: the neuron spaces of the states, in step order, are {@code states} (N − 1 of them; the
 *     output x_N is fixed, as G(T) = I). Orbit's neuron spaces take per-neuron factors, so only diagonal gauges act
 *     on the model ({@link #discrete()}).</li>
 * </ul>
 * {@code states} is empty for a gauge made for fields only. Products and inverses stay exact: compose concatenates
 * the factors, the inverse reverses them and negates each exponent.
 */
public record GaugeElement(double endTime, List<double[][][]> factors, List<Integer> states) implements SymmetryElement {
    public GaugeElement {
        if (!(endTime > 0) || !Double.isFinite(endTime)) throw new IllegalArgumentException("a gauge's end time must be positive, got " + endTime);
        if (factors.isEmpty()) throw new IllegalArgumentException("a gauge needs at least one factor");
        int d = -1;
        List<double[][][]> copy = new ArrayList<>();
        for (double[][][] c : factors) {
            if (c.length == 0) throw new IllegalArgumentException("a gauge factor needs at least one sine mode");
            double[][][] cc = new double[c.length][][];
            for (int k = 0; k < c.length; k++) {
                if (d < 0) d = c[k].length;
                if (d == 0 || c[k].length != d) throw new IllegalArgumentException("gauge coefficients must be d×d matrices of one size");
                cc[k] = new double[d][];
                for (int i = 0; i < d; i++) {
                    if (c[k][i].length != d) throw new IllegalArgumentException("gauge coefficients must be square");
                    for (double v : c[k][i]) if (!Double.isFinite(v)) throw new IllegalArgumentException("gauge coefficients must be finite");
                    cc[k][i] = c[k][i].clone();
                }
            }
            copy.add(cc);
        }
        factors = List.copyOf(copy);
        states = List.copyOf(states);
    }

    /** The dimension d of the state. */
    public int dimension() { return factors.getFirst()[0].length; }

    /** Whether every coefficient matrix is diagonal (a per-coordinate rescaling). */
    public boolean diagonal() {
        for (double[][][] c : factors) {
            for (double[][] m : c) {
                for (int i = 0; i < m.length; i++) for (int j = 0; j < m.length; j++) if (i != j && m[i][j] != 0) return false;
            }
        }
        return true;
    }

    /** Coefficients C_{f,k} (a copy). */
    public double[][][] factor(int f) {
        double[][][] c = factors.get(f);
        double[][][] out = new double[c.length][][];
        for (int k = 0; k < c.length; k++) {
            out[k] = new double[c[k].length][];
            for (int i = 0; i < c[k].length; i++) out[k][i] = c[k][i].clone();
        }
        return out;
    }

    /**
     * The element of the unrolled model: the space of x_k (k = 1 … N−1) scaled by diag G(t_k), t_k = kT/N, where
     * g_i(t) = Σ_k c_k sin(kπt/T) is evaluated term by term in mode order (the same arithmetic as the ODE study's
     * sine series, so a moved model is the same to the bit).
     */
    public GroupElement discrete() {
        if (states.isEmpty()) throw new IllegalArgumentException("this gauge was made for vector fields: it names no unrolled model's states");
        if (!diagonal()) {
            throw new IllegalArgumentException("a non-diagonal gauge does not act on the unrolled model: its neuron spaces take per-neuron factors only");
        }
        int steps = states.size() + 1;
        int d = dimension();
        Map<Integer, double[]> scales = new TreeMap<>();
        for (int k = 1; k < steps; k++) {
            double t = k * endTime / steps;
            double[] tau = new double[d];
            java.util.Arrays.fill(tau, 1.0);
            for (double[][][] c : factors) {
                for (int i = 0; i < d; i++) {
                    double s = 0;
                    for (int m = 1; m <= c.length; m++) s += c[m - 1][i][i] * Math.sin(m * Math.PI * t / endTime);
                    tau[i] *= Math.exp(s);
                }
            }
            if (scales.put(states.get(k - 1), tau) != null) throw new IllegalArgumentException("space " + states.get(k - 1) + " is named as two states");
        }
        return new GroupElement(Map.of(), scales);
    }

    /** This gauge after {@code first}: G(t) = G_this(t)·G_first(t), the factors of {@code first} first. */
    public GaugeElement after(GaugeElement first) {
        if (first.endTime != endTime || first.dimension() != dimension()) {
            throw new IllegalArgumentException("gauges on [0, " + first.endTime + "] in dimension " + first.dimension()
                    + " and [0, " + endTime + "] in dimension " + dimension() + " do not compose");
        }
        if (!states.isEmpty() && !first.states.isEmpty() && !states.equals(first.states)) {
            throw new IllegalArgumentException("the gauges act on the states of different unrolled models");
        }
        List<double[][][]> all = new ArrayList<>(first.factors);
        all.addAll(factors);
        return new GaugeElement(endTime, all, states.isEmpty() ? first.states : states);
    }

    /** G(t)⁻¹ = exp(−g_1(t)) ⋯ exp(−g_last(t)): the factors reversed, each exponent negated. */
    public GaugeElement inverse() {
        List<double[][][]> out = new ArrayList<>();
        for (int f = factors.size() - 1; f >= 0; f--) {
            double[][][] c = factor(f);
            for (double[][] m : c) for (double[] row : m) for (int j = 0; j < row.length; j++) row[j] = -row[j];
            out.add(c);
        }
        return new GaugeElement(endTime, out, states);
    }

    @Override public GaugeElement inverse(SymmetryAnalysis a) { return inverse(); }
}
