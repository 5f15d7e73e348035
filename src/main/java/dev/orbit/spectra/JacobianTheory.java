package dev.orbit.spectra;


/**
 * Free-probability prediction for the spectrum of JJᵀ, J = D_L W_L ⋯ D_1 W_1 the input–output Jacobian of a deep
 * random MLP of square layers at its mean-field fixed point (Pennington, Schoenholz, Ganguli 2017). The factors
 * are asymptotically free, so S-transforms multiply: S_{JJᵀ} = S_{WWᵀ}^L · S_{D²}^L, and
 * M⁻¹(z) = (1 + z)/(z·S(z)) with M(λ) = Σ m_k λ^{−k} the moment generating function of the spectrum.
 *
 * <p>Written in w = χ_{D²}(z) (the inverse of ψ_{D²}), with z = ψ(w) and g = 1 for Gaussian, 0 for orthogonal W:
 * ln M⁻¹ = (1 − L + gL)·ln(1 + z) + (L − 1)·ln z − L·ln w + L·ln σ_w². For Bernoulli D² (w = z/(z + p)) this is
 * σ_w^{2L}(1 + z)(z + p)^L/z (Gaussian) and σ_w^{2L}(z + p)^L/(z(1 + z)^{L−1}) (orthogonal).
 */
public record JacobianTheory(WeightLaw weights, int depth, double sigmaW, SlopeLaw slopes) {
    public JacobianTheory {
        if (depth < 1) throw new IllegalArgumentException("depth must be at least 1, got " + depth);
        if (!(sigmaW > 0)) throw new IllegalArgumentException("σ_w must be positive");
    }

    /** The prediction for an MLP initialised with {@code init} whose pre-activations have length q*. */
    public static JacobianTheory of(WeightLaw weights, int depth, MeanField.Init init, double qStar) {
        return new JacobianTheory(weights, depth, init.sigmaW(), SlopeLaw.of(init.activation(), qStar));
    }

    private int g() { return weights == WeightLaw.GAUSSIAN ? 1 : 0; }

    /** χ₁ = σ_w²·E[φ'²]. */
    public double chi() { return sigmaW * sigmaW * slopes.moment(1); }

    /** m₁ = χ₁^L, the mean eigenvalue of JJᵀ. */
    public double meanEigenvalue() { return Math.pow(chi(), depth); }

    /**
     * var/m₁² = −S'(0)/S(0) summed over the 2L free factors: L·(g + μ₂/μ₁² − 1); for Bernoulli D² that is L/p
     * (Gaussian) and L(1 − p)/p (orthogonal).
     */
    public double varianceRatio() {
        double mu1 = slopes.moment(1);
        return depth * (g() + slopes.moment(2) / (mu1 * mu1) - 1);
    }

    /** S_{JJᵀ}(z) = (S_{WWᵀ}(z)·S_{D²}(z))^L for real z. */
    public double sTransform(double z) {
        return Math.pow(weights.sTransform(z, sigmaW) * slopes.sTransform(z), depth);
    }

    /**
     * Point masses of the limiting spectrum. At 0: P(φ' = 0), since the product passes through L projections of
     * rank p·N. At σ_w^{2L}, for orthogonal W and Bernoulli D² with L(1 − p) < 1: mass 1 − L(1 − p), the
     * intersection of the L ranges, on which J is σ_w^L times an isometry (for L = 1 the spectrum is just the two
     * atoms). The continuous density carries the rest; the tests check that the masses add up to 1.
     */
    public java.util.List<SpectralDensity.Atom> atoms() {
        java.util.List<SpectralDensity.Atom> atoms = new java.util.ArrayList<>();
        double[] v = slopes.values(), pr = slopes.probabilities();
        double zero = 0;
        for (int i = 0; i < v.length; i++) if (v[i] == 0) zero += pr[i];
        if (zero > 0) atoms.add(new SpectralDensity.Atom(0, zero));
        if (weights == WeightLaw.ORTHOGONAL && slopes instanceof SlopeLaw.Bernoulli(double p) && depth * (1 - p) < 1) {
            atoms.add(new SpectralDensity.Atom(Math.pow(sigmaW * sigmaW, depth), 1 - depth * (1 - p)));
        }
        return atoms;
    }

    /**
     * Upper end of the continuous part. It is the edge except for orthogonal Bernoulli with L(1 − p) < 1, where the
     * edge is the atom at σ_w^{2L} and the continuous part ends at the critical value of M⁻¹ written in
     * u = z/(1 + z): λ_c = m₁·(1 + a·u_c)^L/u_c, a = 1/p − 1, u_c = 1/(a(L − 1)).
     */
    public double continuousEdge() {
        if (weights == WeightLaw.ORTHOGONAL && slopes instanceof SlopeLaw.Bernoulli(double p) && depth * (1 - p) < 1 && depth > 1) {
            double a = 1 / p - 1, u = 1 / (a * (depth - 1));
            return meanEigenvalue() * Math.exp(depth * Math.log1p(a * u) - Math.log(u));
        }
        return edge();
    }

    /** True when the spectrum is (numerically) a single point: orthogonal weights and a constant φ'². */
    public boolean isometric() { return weights == WeightLaw.ORTHOGONAL && varianceRatio() < 1e-9; }

    /** ln M⁻¹ at w (z = ψ(w)), principal branches; callers compare it with ln λ modulo 2πi. */
    ComplexDouble lnInverseM(ComplexDouble w) {
        int l = depth;
        ComplexDouble z = slopes.psi(w);
        return z.plus(1).log().times(1 - l + g() * l).plus(z.log().times(l - 1)).minus(w.log().times(l))
                .plus(2 * l * Math.log(sigmaW));
    }

    /** d/dw ln M⁻¹. */
    ComplexDouble lnInverseMDerivative(ComplexDouble w) {
        int l = depth;
        ComplexDouble z = slopes.psi(w);
        ComplexDouble dz = z.plus(1).reciprocal().times(1 - l + g() * l).plus(z.reciprocal().times(l - 1));
        return dz.times(slopes.psiDerivative(w)).minus(w.reciprocal().times(l));
    }

    /** Largest eigenvalue of JJᵀ in the limit (the edge of the support): closed form for Bernoulli D², else numeric. */
    public double edge() {
        return slopes instanceof SlopeLaw.Bernoulli(double p) ? bernoulliEdge(p) : numericEdge();
    }

    /** §3.5: the critical value of M⁻¹, or the hard bound σ_w^{2L} for orthogonal W when M⁻¹ has no critical point. */
    double bernoulliEdge(double p) {
        int l = depth;
        double scale = Math.pow(sigmaW * sigmaW, l);
        if (weights == WeightLaw.GAUSSIAN) {
            double z = (-(l - 1) + Math.sqrt((double) (l - 1) * (l - 1) + 4.0 * l * p)) / (2.0 * l);
            return scale * Math.exp(Math.log1p(z) + l * Math.log(z + p) - Math.log(z));
        }
        if (l * (1 - p) > 1) {
            double z = p / (l * (1 - p) - 1);
            return scale * Math.exp(l * Math.log(z + p) - Math.log(z) - (l - 1) * Math.log1p(z));
        }
        return scale;
    }

    /**
     * The edge as the minimum of the real branch of M⁻¹ for w in (0, 1/max d²) (M⁻¹ → ∞ as w → 0⁺); where it
     * decreases all the way, its limit at the pole. Log-spaced scan, then golden-section refinement.
     */
    double numericEdge() {
        double wMax = 1 / slopes.max();
        int n = 4000;
        double[] t = new double[n];
        double[] f = new double[n];
        for (int i = 0; i < n; i++) {
            double s = (double) i / (n - 1); // t from 1e-9 to 1 − 1e-12, dense at both ends
            t[i] = s < 0.5 ? 1e-9 * Math.pow(0.5e9, 2 * s) : 1 - 1e-12 * Math.pow(0.5e12, 2 * (1 - s));
            f[i] = lnInverseM(ComplexDouble.real(t[i] * wMax)).re();
        }
        for (int i = 1; i < n - 1; i++) {
            if (f[i] <= f[i - 1] && f[i] <= f[i + 1]) {
                double lo = t[i - 1], hi = t[i + 1];
                double gr = (Math.sqrt(5) - 1) / 2;
                for (int it = 0; it < 200 && hi - lo > 1e-15; it++) {
                    double a = hi - gr * (hi - lo), b = lo + gr * (hi - lo);
                    if (lnInverseM(ComplexDouble.real(a * wMax)).re() < lnInverseM(ComplexDouble.real(b * wMax)).re()) hi = b;
                    else lo = a;
                }
                return Math.exp(lnInverseM(ComplexDouble.real(0.5 * (lo + hi) * wMax)).re());
            }
        }
        return Math.exp(f[n - 1]);
    }

    /** The limiting density of JJᵀ's eigenvalues (see {@link DensityTracking}). */
    public SpectralDensity density(int points) {
        if (isometric()) throw new IllegalStateException("the spectrum is a single point at " + meanEigenvalue());
        return slopes instanceof SlopeLaw.Bernoulli b ? DensityTracking.polynomial(this, b.p(), points)
                : DensityTracking.newton(this, points);
    }
}
