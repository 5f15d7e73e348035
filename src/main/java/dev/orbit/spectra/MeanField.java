package dev.orbit.spectra;

import dev.orbit.ops.Activation;
import dev.orbit.ops.ElementwiseOp;

/**
 * Mean-field signal propagation through a deep random MLP (Poole et al. 2016, Schoenholz et al. 2017): the length
 * map q ↦ σ_w²·E[φ(√q·u)²] + σ_b², its fixed point q*, the slope factor χ₁ = σ_w²·E[φ'(√q*·u)²], and the
 * critical line χ₁ = 1. The expectations come from the activation's op: closed forms for the piecewise-linear ones,
 * hard-tanh and erf, a trapezoid rule for the others (see {@link ElementwiseOp#meanSquare}).
 */
public final class MeanField {
    /** An initialisation: activation and the weight and bias scales (weights N(0, σ_w²/N) or σ_w·O). */
    public record Init(Activation activation, double sigmaW, double sigmaB) {
        public Init {
            if (!(sigmaW > 0) || !Double.isFinite(sigmaW)) throw new IllegalArgumentException("σ_w must be positive, got " + sigmaW);
            if (!(sigmaB >= 0) || !Double.isFinite(sigmaB)) throw new IllegalArgumentException("σ_b must be ≥ 0, got " + sigmaB);
        }
    }

    private MeanField() {}

    /** E[φ(√q·u)²], u ~ N(0, 1): closed forms where the op has them, else the trapezoid rule. */
    public static double meanSquare(Activation a, double q) { return a.meanSquare(q); }

    /** d/dq E[φ(√q·u)²] = E[φ·φ'·u]/√q (Newton needs it). */
    static double meanSquareDq(Activation a, double q) { return a.meanSquareDq(q); }

    /** E[φ'(√q·u)²]; for ReLU and hard-tanh this is p = P(φ' = 1), the Bernoulli parameter of D². */
    public static double meanSlopeSquared(Activation a, double q) { return a.meanSlopeSquared(q); }

    /** One step of the length map. */
    public static double lengthMap(Init init, double q) {
        return init.sigmaW() * init.sigmaW() * meanSquare(init.activation(), q) + init.sigmaB() * init.sigmaB();
    }

    /**
     * The fixed point q* the pre-activation length converges to from {@code inputLength} (= ‖x‖²/N after the
     * first layer's affine map is applied, i.e. q¹). Linear and ReLU maps are affine in q: unique fixed point,
     * marginal (every q is fixed, q* = q¹) or none (lengths grow without bound: IllegalArgumentException).
     * Otherwise: safeguarded Newton on Q(q) − q inside a bracket [0, hi] with Q(hi) ≤ hi (σ_w² + σ_b² for |φ| ≤ 1).
     */
    public static double fixedPoint(Init init, double inputLength) {
        double w2 = init.sigmaW() * init.sigmaW(), b2 = init.sigmaB() * init.sigmaB();
        Activation a = init.activation();
        if (a.positivelyHomogeneous()) {
            double slope = w2 * meanSquareDq(a, 1);
            if (Math.abs(slope - 1) < 1e-12) {
                if (b2 == 0) return inputLength;
                throw new IllegalArgumentException("lengths grow without bound (σ_w²·E[φ'²] = 1 with σ_b > 0): no fixed point q*");
            }
            if (slope > 1) throw new IllegalArgumentException(String.format(
                    "lengths grow without bound (σ_w² = %.4g is above the critical %.4g): no fixed point q*", w2, w2 / slope));
            return b2 / (1 - slope);
        }
        double hi = w2 + b2; // enough when |φ| ≤ 1 (tanh, erf, hard-tanh, sigmoid); else widen until the map falls below
        for (int k = 0; k < 2000 && lengthMap(init, hi) > hi; k++) hi *= 2;
        if (!(lengthMap(init, hi) <= hi)) throw new IllegalArgumentException("lengths grow without bound: no fixed point q*");
        double lo = 0;
        if (b2 == 0) {
            // q = 0 is a fixed point; it is the attracting one unless the map is expanding at 0
            if (w2 * square(a.derivative(0)) <= 1) return 0;
            double q = 1e-12;
            while (lengthMap(init, q) - q <= 0 && q < hi) q *= 2; // the expanding region right above 0
            lo = q;
        }
        double q = 0.5 * (lo + hi);
        for (int it = 0; it < 200; it++) {
            double f = lengthMap(init, q) - q;
            if (f > 0) lo = q; else hi = q;
            double df = w2 * meanSquareDq(a, q) - 1;
            double next = q - f / df;
            if (!(next > lo && next < hi)) next = 0.5 * (lo + hi); // bisection when Newton leaves the bracket
            if (Math.abs(next - q) <= 1e-15 * Math.max(q, 1e-300) || hi - lo <= 1e-15 * hi) return next;
            q = next;
        }
        return q;
    }

    /** χ₁ = σ_w²·E[φ'(√q*·u)²]: the mean squared singular value one layer contributes; 1 is critical. */
    public static double chi(Init init, double qStar) {
        return init.sigmaW() * init.sigmaW() * meanSlopeSquared(init.activation(), qStar);
    }

    /**
     * The point on the critical line (χ₁ = 1) whose fixed point is {@code qStar}: σ_w² = 1/E[φ'²],
     * σ_b² = q* − σ_w²·E[φ²]. ReLU is critical only at (√2, 0) and linear only at (1, 0), where every q is fixed.
     */
    public static Init criticalInit(Activation a, double qStar) {
        if (!(qStar > 0) || !Double.isFinite(qStar)) throw new IllegalArgumentException("q* must be positive, got " + qStar);
        double w2 = 1 / meanSlopeSquared(a, qStar);
        double b2 = a.positivelyHomogeneous() ? 0 : qStar - w2 * meanSquare(a, qStar);
        if (b2 < -1e-14 * qStar) throw new IllegalArgumentException("no critical initialisation of " + a.label() + " has q* = " + qStar);
        return new Init(a, Math.sqrt(w2), Math.sqrt(Math.max(b2, 0)));
    }

    /**
     * σ_b on the critical line for a given σ_w: solves σ_w²·E[φ'(√q·u)²] = 1 for q (E[φ'²] falls with q for
     * tanh, erf and hard-tanh) by bisection in ln q, then σ_b² = q − σ_w²·E[φ²]. Positively homogeneous φ are
     * critical only at σ_w = 1/√E[φ'²] with σ_b = 0.
     */
    public static double criticalBias(Activation a, double sigmaW) {
        double target = 1 / (sigmaW * sigmaW);
        if (a.positivelyHomogeneous()) {
            double critical = Math.sqrt(1 / meanSlopeSquared(a, 1)); // √2 for ReLU, 1 for the identity
            if (Math.abs(sigmaW - critical) > 1e-12) {
                throw new IllegalArgumentException(a.label() + " is critical only at σ_w = " + critical + ", σ_b = 0");
            }
            return 0;
        }
        double atZero = square(a.derivative(0));
        if (!(target < atZero)) {
            throw new IllegalArgumentException(String.format("%s has no critical point with σ_w = %.4g (needs σ_w > %.4g)",
                    a.label(), sigmaW, 1 / Math.sqrt(atZero)));
        }
        double lo = Math.log(1e-12), hi = Math.log(1e6);
        for (int it = 0; it < 200 && hi - lo > 1e-15; it++) {
            double mid = 0.5 * (lo + hi);
            if (meanSlopeSquared(a, Math.exp(mid)) > target) lo = mid; else hi = mid;
        }
        double q = Math.exp(0.5 * (lo + hi));
        double b2 = q - sigmaW * sigmaW * meanSquare(a, q);
        return Math.sqrt(Math.max(b2, 0));
    }

    private static double square(double x) { return x * x; }
}
