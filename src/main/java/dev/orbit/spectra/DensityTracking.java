package dev.orbit.spectra;

/**
 * Computes the limiting density of JJᵀ from z = M(λ + iη): ρ(λ) = |Im z|/(πλ). The equation M⁻¹(z) = λ has many
 * roots and only one is physical, the one that behaves like m₁/λ for λ ≫ λ_max; both methods start there and
 * sweep λ downward, each step continuing from the previous solution. (A plain Newton solve at each λ with tiny η
 * can land on a wrong branch below the edge and overestimate the density several times.)
 * <ul>
 * <li>{@link #polynomial}: Bernoulli D² at χ = 1 (λ in units of m₁) gives a polynomial in z:
 * (1 + z)(1 + z/p)^L − λz (Gaussian, degree L + 1) or (1 + z/p)^L − λz(1 + z)^{L−1} (orthogonal, degree L; solved in
 * u = z/(1 + z), see {@link #orthogonalPolynomial}). All its roots come from Aberth's iteration, warm-started with the previous λ's roots; the tracked root is the one
 * nearest the previous one.
 * <li>{@link #newton}: any D² law: Newton on ln M⁻¹(w) − ln λ in w = χ_{D²}(z), with a tangent predictor.
 * </ul>
 */
public final class DensityTracking {
    /** η relative to λ: small enough to resolve the density, large enough to break the conjugate-pair tie. */
    private static final double RELATIVE_ETA = 1e-9;
    /** The sweep starts this far above the edge, where z ≈ m₁/λ. */
    private static final double START = 50;
    /** ... and ends this far below it (the rest of the mass comes from the power-law tail). */
    private static final double STOP = 1e-10;

    private DensityTracking() {}

    /**
     * {@code points} values from START·edge down to STOP·edge, descending: three quarters log-spaced, one quarter
     * evenly spaced over [0.9, 1.02]·edge, where the density falls like a square root.
     */
    static double[] descendingGrid(double edge, int points) {
        int near = points / 4, far = points - near;
        java.util.TreeSet<Double> set = new java.util.TreeSet<>(java.util.Comparator.reverseOrder());
        double hi = Math.log(START * edge), lo = Math.log(STOP * edge);
        for (int i = 0; i < far; i++) set.add(Math.exp(hi + (lo - hi) * i / (far - 1)));
        for (int i = 0; i < near; i++) set.add(edge * (1.02 - 0.12 * i / (near - 1)));
        return set.stream().mapToDouble(Double::doubleValue).toArray();
    }

    public static SpectralDensity polynomial(JacobianTheory t, double p, int points) {
        double m1 = t.meanEigenvalue(), edge = t.continuousEdge();
        int l = t.depth();
        boolean gaussian = t.weights() == WeightLaw.GAUSSIAN;
        double[] grid = descendingGrid(edge, points);
        double[] rho = new double[grid.length];
        ComplexDouble[] roots = null;
        ComplexDouble tracked = null;
        for (int i = 0; i < grid.length; i++) {
            double x = grid[i] / m1; // χ = 1 units
            ComplexDouble lam = new ComplexDouble(x, RELATIVE_ETA * x);
            AberthRoots.Polynomial poly = gaussian ? gaussianPolynomial(lam, p, l) : orthogonalPolynomial(lam, p, l);
            if (roots == null) {
                double radius = 1 + p * Math.pow(x, 1.0 / l) + 1 / x;
                roots = AberthRoots.solve(poly, AberthRoots.circle(poly.degree(), ComplexDouble.ZERO, radius), 5000);
                tracked = ComplexDouble.real(1 / x);
            } else {
                try {
                    roots = AberthRoots.solve(poly, roots, 500);
                } catch (ArithmeticException e) {
                    throw new ArithmeticException(e.getMessage() + " at λ/m₁ = " + x + ", roots " + java.util.Arrays.toString(roots));
                }
            }
            ComplexDouble best = roots[0];
            for (ComplexDouble r : roots) if (r.minus(tracked).abs() < best.minus(tracked).abs()) best = r;
            tracked = best;
            ComplexDouble z = gaussian ? best : best.div(ComplexDouble.ONE.minus(best)); // z = u/(1 − u)
            rho[i] = Math.abs(z.im()) / (Math.PI * x) / m1;
        }
        return ascending(grid, rho, t);
    }

    /** (1 + z)(1 + z/p)^L − λz and its derivative. */
    static AberthRoots.Polynomial gaussianPolynomial(ComplexDouble lam, double p, int l) {
        return new AberthRoots.Polynomial() {
            @Override public int degree() { return l + 1; }

            @Override public ComplexDouble[] valueAndDerivative(ComplexDouble z) {
                ComplexDouble a = z.times(1 / p).plus(1);
                ComplexDouble aLm1 = a.pow(l - 1), aL = aLm1.times(a);
                ComplexDouble onePlusZ = z.plus(1);
                ComplexDouble value = onePlusZ.times(aL).minus(lam.times(z));
                ComplexDouble deriv = aL.plus(onePlusZ.times(aLm1).times(l / p)).minus(lam);
                return new ComplexDouble[] {value, deriv};
            }
        };
    }

    /**
     * The orthogonal equation (1 + z/p)^L − λz(1 + z)^{L−1} = 0 in u = z/(1 + z): multiplied by (1 − u)^L it becomes
     * (1 + a·u)^L − λu, a = 1/p − 1. In z the leading coefficient p^{−L} − λ vanishes at λ = p^{−L} and a root
     * passes through infinity, which no warm-started iteration follows; in u that root passes through u = 1.
     */
    static AberthRoots.Polynomial orthogonalPolynomial(ComplexDouble lam, double p, int l) {
        double a = 1 / p - 1;
        return new AberthRoots.Polynomial() {
            @Override public int degree() { return l; }

            @Override public ComplexDouble[] valueAndDerivative(ComplexDouble u) {
                ComplexDouble b = u.times(a).plus(1);
                ComplexDouble bLm1 = b.pow(l - 1);
                ComplexDouble value = bLm1.times(b).minus(lam.times(u));
                ComplexDouble deriv = bLm1.times(l * a).minus(lam);
                return new ComplexDouble[] {value, deriv};
            }
        };
    }

    public static SpectralDensity newton(JacobianTheory t, int points) {
        double m1 = t.meanEigenvalue(), edge = t.continuousEdge();
        double[] grid = descendingGrid(edge, points);
        double[] rho = new double[grid.length];
        // start: z ≈ m₁/λ is small, and w ≈ z/μ₁
        ComplexDouble w = ComplexDouble.real(m1 / grid[0] / t.slopes().moment(1));
        double previousLn = Double.NaN, massAbove = 0;
        double atomMass = t.atoms().stream().mapToDouble(SpectralDensity.Atom::mass).sum();
        for (int i = 0; i < grid.length; i++) {
            if (i > 1) massAbove += 0.5 * (rho[i - 2] * grid[i - 2] + rho[i - 1] * grid[i - 1]) * Math.log(grid[i - 2] / grid[i - 1]);
            ComplexDouble lnLam = new ComplexDouble(grid[i], RELATIVE_ETA * grid[i]).log();
            ComplexDouble start = w;
            if (!Double.isNaN(previousLn)) { // tangent predictor: d(ln M⁻¹)/dw · dw = d ln λ
                ComplexDouble step = t.lnInverseMDerivative(w).reciprocal().times(lnLam.re() - previousLn);
                if (step.isFinite() && step.abs() < 0.1 * w.abs()) start = w.plus(step);
            }
            ComplexDouble solved = solve(t, lnLam, start);
            if (solved == null || Math.abs(solved.minus(w).abs()) > 0.5 * w.abs()) {
                // near the edge the two real roots meet and turn into a conjugate pair: kick off the real axis
                ComplexDouble best = null;
                for (double kick : new double[] {1e-4, 1e-3, 1e-2, 1e-1}) {
                    ComplexDouble s = solve(t, lnLam, w.times(new ComplexDouble(1, -kick)));
                    if (s != null && (best == null || s.minus(w).abs() < best.minus(w).abs())) best = s;
                }
                if (best == null) {
                    // below the bulk of a law with no atom at 0 (orthogonal W, smooth φ) there is a gap: z → −1 and
                    // w → −∞ along the real axis as λ → 0; stop once the density above holds the mass
                    if (massAbove + atomMass > 1 - 1e-3) break;
                    throw new ArithmeticException("density continuation lost the root at λ = " + grid[i] + " (mass found above: " + massAbove + ")");
                }
                solved = best;
            }
            w = solved;
            previousLn = lnLam.re();
            ComplexDouble z = t.slopes().psi(w);
            rho[i] = Math.abs(z.im()) / (Math.PI * grid[i]);
        }
        return ascending(grid, rho, t);
    }

    /** Newton on ln M⁻¹(w) − ln λ, the residual's imaginary part taken modulo 2π; null if it does not converge. */
    private static ComplexDouble solve(JacobianTheory t, ComplexDouble lnLam, ComplexDouble start) {
        ComplexDouble w = start;
        for (int it = 0; it < 100; it++) {
            ComplexDouble r = t.lnInverseM(w).minus(lnLam);
            double im = Math.IEEEremainder(r.im(), 2 * Math.PI);
            r = new ComplexDouble(r.re(), im);
            ComplexDouble step = r.div(t.lnInverseMDerivative(w));
            if (!step.isFinite()) return null;
            if (step.abs() > 0.5 * w.abs()) step = step.times(0.5 * w.abs() / step.abs()); // damped: stay on the branch
            w = w.minus(step);
            if (step.abs() <= 1e-13 * w.abs() && r.abs() < 1e-9) return w;
        }
        return null;
    }

    private static SpectralDensity ascending(double[] descendingGrid, double[] rho, JacobianTheory t) {
        int n = descendingGrid.length;
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = descendingGrid[n - 1 - i];
            y[i] = rho[n - 1 - i];
        }
        return new SpectralDensity(x, y, t.atoms(), t.edge());
    }
}
