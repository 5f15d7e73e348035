package dev.orbit.spectra;

import dev.orbit.numeric.NormalTrapezoid;
import dev.orbit.ops.Activation;

/**
 * The law of one diagonal entry of D² = diag φ'(h)², h ~ N(0, q*): the factor the activations contribute to the
 * Jacobian spectrum. ReLU and hard-tanh give a Bernoulli law (φ' ∈ {0, 1}); smooth φ a discrete law on
 * Gauss–Hermite nodes, which reproduces the moments μ_k = E[φ'(√q*·u)^{2k}] to quadrature accuracy.
 * {@code psi} is the moment generating function ψ(w) = Σ μ_k w^k = E[d²w/(1 − d²w)], analytic off the poles 1/d².
 */
public sealed interface SlopeLaw {
    /** The values d² takes. */
    double[] values();

    /** Their probabilities (sum 1). */
    double[] probabilities();

    /** P(d² = 1) = p, P(d² = 0) = 1 − p. */
    record Bernoulli(double p) implements SlopeLaw {
        public Bernoulli {
            if (!(p > 0 && p <= 1)) throw new IllegalArgumentException("Bernoulli p must be in (0, 1], got " + p);
        }

        @Override public double[] values() { return new double[] {0, 1}; }

        @Override public double[] probabilities() { return new double[] {1 - p, p}; }

        /** Closed form (1 + z)/(z + p). */
        @Override public double sTransform(double z) { return (1 + z) / (z + p); }
    }

    /** A discrete law (values with probabilities), e.g. Gauss–Hermite nodes of φ'(√q*·u)². */
    record Discrete(double[] values, double[] probabilities) implements SlopeLaw {
        public Discrete {
            if (values.length != probabilities.length || values.length == 0) throw new IllegalArgumentException("bad discrete law");
            values = values.clone();
            probabilities = probabilities.clone();
        }
    }

    /** The law of φ'(h)², h ~ N(0, q*): Bernoulli for kinked φ, else trapezoid nodes (φ'² is even: folded to u ≥ 0). */
    static SlopeLaw of(Activation a, double qStar) {
        if (a.kinked()) return new Bernoulli(MeanField.meanSlopeSquared(a, qStar));
        NormalTrapezoid rule = NormalTrapezoid.forScale(qStar);
        int centre = rule.nodes().length / 2; // node 0 sits at the centre; ±u give the same φ'²
        double[] v = new double[centre + 1], w = new double[centre + 1];
        double s = Math.sqrt(qStar);
        for (int i = 0; i <= centre; i++) {
            double d = a.derivative(s * rule.nodes()[centre + i]);
            v[i] = d * d;
            w[i] = (i == 0 ? 1 : 2) * rule.weights()[centre + i];
        }
        return new Discrete(v, w);
    }

    /** E[(d²)^k]. */
    default double moment(int k) {
        double[] v = values(), p = probabilities();
        double s = 0;
        for (int i = 0; i < v.length; i++) s += p[i] * Math.pow(v[i], k);
        return s;
    }

    /** The largest value d² takes: ψ has its first pole at w = 1/max. */
    default double max() {
        double m = 0;
        for (double v : values()) m = Math.max(m, v);
        return m;
    }

    /** ψ(w) = E[d²w/(1 − d²w)]. */
    default ComplexDouble psi(ComplexDouble w) {
        double[] v = values(), p = probabilities();
        ComplexDouble s = ComplexDouble.ZERO;
        for (int i = 0; i < v.length; i++) {
            if (v[i] == 0) continue;
            ComplexDouble x = w.times(v[i]);
            s = s.plus(x.div(ComplexDouble.ONE.minus(x)).times(p[i]));
        }
        return s;
    }

    /** ψ'(w) = E[d²/(1 − d²w)²]. */
    default ComplexDouble psiDerivative(ComplexDouble w) {
        double[] v = values(), p = probabilities();
        ComplexDouble s = ComplexDouble.ZERO;
        for (int i = 0; i < v.length; i++) {
            if (v[i] == 0) continue;
            ComplexDouble d = ComplexDouble.ONE.minus(w.times(v[i]));
            s = s.plus(d.times(d).reciprocal().times(v[i] * p[i]));
        }
        return s;
    }

    /**
     * S(z) = (1 + z)·χ(z)/z with χ = ψ⁻¹, for real z > −P(d² > 0): ψ increases on (0, 1/max) (and on (−∞, 0) towards
     * its infimum), so the inverse is found by bisection.
     */
    default double sTransform(double z) {
        if (z == 0) return 1 / moment(1);
        double lo, hi;
        if (z > 0) {
            lo = 0;
            hi = 1 / max();
        } else {
            lo = -1;
            for (int k = 0; k < 200 && psi(ComplexDouble.real(lo)).re() > z; k++) lo *= 2; // ψ(−∞) = −P(d² > 0)
            hi = 0;
        }
        for (int it = 0; it < 300 && hi - lo > 1e-16 * Math.max(1, Math.abs(lo)); it++) {
            double mid = 0.5 * (lo + hi);
            if (psi(ComplexDouble.real(mid)).re() < z) lo = mid; else hi = mid;
        }
        double w = 0.5 * (lo + hi);
        return (1 + z) * w / z;
    }
}
