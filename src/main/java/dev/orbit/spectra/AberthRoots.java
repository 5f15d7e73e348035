package dev.orbit.spectra;

/**
 * All complex roots of a polynomial by the Aberth–Ehrlich simultaneous iteration. The polynomial is given as a
 * function returning P(z) and P'(z), so it can be evaluated in factored form: the Jacobian polynomials
 * (1 + z)(1 + z/p)^L − λz have binomial coefficients up to 1e37 at L = 64, and expanding them would lose the
 * small roots. Cubic convergence for simple roots; warm starts (the previous λ's roots) make continuation cheap.
 */
public final class AberthRoots {
    /** P(z) and P'(z) together. */
    public interface Polynomial {
        int degree();

        /** {P(z), P'(z)}. */
        ComplexDouble[] valueAndDerivative(ComplexDouble z);
    }

    private AberthRoots() {}

    /** Starting points on a circle (slightly rotated so none sits on the real axis). */
    public static ComplexDouble[] circle(int n, ComplexDouble centre, double radius) {
        ComplexDouble[] z = new ComplexDouble[n];
        for (int k = 0; k < n; k++) z[k] = centre.plus(ComplexDouble.polar(radius, 2 * Math.PI * (k + 0.25) / n + 0.4));
        return z;
    }

    /**
     * Refines {@code start} (one guess per root, {@code degree} of them) until every correction is below
     * {@code 1e-12·(1 + |z|)} (rounding in P/P' keeps steps near clustered roots above 1e-14). After
     * {@code maxIterations} it accepts corrections below 1e-8·(1 + |z|), the √ε accuracy of a nearly double root,
     * and throws otherwise. A root beyond 1e12 in
     * modulus is left where it is: a nearly vanishing leading coefficient sends it towards infinity, where the
     * iteration would crawl.
     */
    public static ComplexDouble[] solve(Polynomial p, ComplexDouble[] start, int maxIterations) {
        int n = p.degree();
        if (start.length != n) throw new IllegalArgumentException("need " + n + " starting points, got " + start.length);
        ComplexDouble[] z = start.clone();
        boolean[] done = new boolean[n];
        double worst = Double.POSITIVE_INFINITY;
        for (int it = 0; it < maxIterations; it++) {
            boolean all = true;
            worst = 0;
            for (int i = 0; i < n; i++) {
                if (done[i]) continue;
                ComplexDouble[] pd = p.valueAndDerivative(z[i]);
                if (pd[0].abs() == 0) {
                    done[i] = true;
                    continue;
                }
                ComplexDouble newton = pd[0].div(pd[1]); // P/P'
                ComplexDouble repulsion = ComplexDouble.ZERO;
                for (int j = 0; j < n; j++) if (j != i) repulsion = repulsion.plus(z[i].minus(z[j]).reciprocal());
                ComplexDouble step = newton.div(ComplexDouble.ONE.minus(newton.times(repulsion)));
                if (!step.isFinite()) step = newton;
                z[i] = z[i].minus(step); // Gauss–Seidel: later roots already see this update
                double relative = step.abs() / (1 + z[i].abs());
                worst = Math.max(worst, relative);
                if (relative <= 1e-12 || z[i].abs() > 1e12) done[i] = true;
                else all = false;
            }
            if (all) return z;
        }
        if (worst <= 1e-8) return z;
        throw new ArithmeticException("Aberth iteration did not converge in " + maxIterations + " iterations (degree " + n + ")");
    }
}
