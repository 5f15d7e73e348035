package dev.orbit.spectra;

/**
 * A limiting eigenvalue distribution: the continuous density ρ sampled at ascending λ > 0, point masses
 * ({@code atoms}), and the edge (largest point) of the support. Integrals are trapezoids in ln λ (ρ may blow up at 0 like λ^{−a}, a < 1); the mass
 * below the smallest grid point is added from the power law fitted to the two smallest points.
 */
public record SpectralDensity(double[] lambda, double[] density, java.util.List<Atom> atoms, double edge) {
    /** A point mass. */
    public record Atom(double location, double mass) {}

    public SpectralDensity {
        if (lambda.length != density.length || lambda.length < 3) throw new IllegalArgumentException("bad density grid");
        lambda = lambda.clone();
        density = density.clone();
        atoms = java.util.List.copyOf(atoms);
    }

    /** Total mass of the atoms. */
    public double atomMass() { return atoms.stream().mapToDouble(Atom::mass).sum(); }

    /** Linear interpolation; 0 outside the grid. */
    public double at(double x) {
        if (x < lambda[0] || x > lambda[lambda.length - 1]) return 0;
        int i = java.util.Arrays.binarySearch(lambda, x);
        if (i >= 0) return density[i];
        i = -i - 2;
        double t = (x - lambda[i]) / (lambda[i + 1] - lambda[i]);
        return density[i] + t * (density[i + 1] - density[i]);
    }

    /** ∫ρ dλ over (0, ∞), excluding the atom. */
    public double mass() { return cumulative()[lambda.length - 1]; }

    /** ∫λρ dλ: the continuous part's contribution to the mean eigenvalue (add Σ location·mass of the atoms). */
    public double mean() {
        double s = 0;
        for (int i = 1; i < lambda.length; i++) {
            double a = density[i - 1] * lambda[i - 1] * lambda[i - 1], b = density[i] * lambda[i] * lambda[i];
            s += 0.5 * (a + b) * Math.log(lambda[i] / lambda[i - 1]);
        }
        return s;
    }

    /** ∫₀^{λᵢ} ρ at every grid point (continuous part only). */
    public double[] cumulative() {
        double[] c = new double[lambda.length];
        c[0] = tailBelowGrid();
        for (int i = 1; i < lambda.length; i++) {
            double a = density[i - 1] * lambda[i - 1], b = density[i] * lambda[i];
            c[i] = c[i - 1] + 0.5 * (a + b) * Math.log(lambda[i] / lambda[i - 1]);
        }
        return c;
    }

    /** Continuous mass in each bin [edges[k], edges[k+1]) (cumulative interpolated linearly between grid points). */
    public double[] binMasses(double[] edges) {
        double[] c = cumulative();
        double[] m = new double[edges.length - 1];
        for (int k = 0; k < m.length; k++) m[k] = cdf(c, edges[k + 1]) - cdf(c, edges[k]);
        return m;
    }

    private double cdf(double[] c, double x) {
        if (x <= 0) return 0;
        if (x <= lambda[0]) return c[0] * Math.pow(x / lambda[0], 1 - tailExponent());
        if (x >= lambda[lambda.length - 1]) return c[c.length - 1];
        int i = java.util.Arrays.binarySearch(lambda, x);
        if (i >= 0) return c[i];
        i = -i - 2;
        double t = Math.log(x / lambda[i]) / Math.log(lambda[i + 1] / lambda[i]);
        return c[i] + t * (c[i + 1] - c[i]);
    }

    /** a in ρ ≈ C·λ^{−a} near 0, from the two smallest grid points (clamped below 1 so the tail integrates). */
    private double tailExponent() {
        if (density[0] <= 0 || density[1] <= 0) return 0;
        double a = -Math.log(density[1] / density[0]) / Math.log(lambda[1] / lambda[0]);
        return Math.min(a, 0.999);
    }

    private double tailBelowGrid() {
        return density[0] * lambda[0] / (1 - tailExponent());
    }
}
