package dev.orbit.geometry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Isometries of Hⁿ in the upper half-space model, built from the generators of the group: translations along the
 * boundary, dilations, rotations about the vertical axis, and inversions in spheres orthogonal to the boundary
 * (centred on it). Every isometry is a composite of these; each converts to its O⁺(n,1) matrix.
 */
public sealed interface HnIsometry {
    /** The dimension n of the space acted on. */
    int dimension();

    HnPoint apply(HnPoint p);

    HnIsometry inverse();

    /** This isometry after {@code first}. */
    default HnIsometry after(HnIsometry first) { return new Composite(List.of(first, this)); }

    /**
     * The matrix L ∈ O⁺(n,1) acting on the hyperboloid as this map acts on the half-space: L = B·A⁻¹ where A holds
     * the hyperboloid images of n+1 fixed, well-spread points and B those of their images (Lorentz maps are linear,
     * so n+1 independent points fix L).
     */
    default double[][] toLorentz() {
        int n = dimension();
        double[][] a = new double[n + 1][n + 1];
        double[][] b = new double[n + 1][n + 1];
        for (int k = 0; k <= n; k++) {
            double[] y = new double[n];
            y[n - 1] = 1;
            if (k > 0 && k < n) y[k - 1] = 1;
            if (k == n) y[n - 1] = Math.E;
            double[] xa = Hyperboloid.fromHalfSpace(y);
            double[] xb = Hyperboloid.fromHalfSpace(apply(new HnPoint(y)).coords());
            for (int i = 0; i <= n; i++) {
                a[i][k] = xa[i];
                b[i][k] = xb[i];
            }
        }
        return dev.orbit.numeric.Matrices.multiply(b, dev.orbit.numeric.Matrices.inverse(a));
    }

    /** (x', h) ↦ (x' + t, h). */
    record Translation(double[] shift) implements HnIsometry {
        public Translation { shift = shift.clone(); }

        @Override public int dimension() { return shift.length + 1; }

        @Override public HnPoint apply(HnPoint p) {
            double[] x = check(this, p);
            for (int i = 0; i < shift.length; i++) x[i] += shift[i];
            return new HnPoint(x);
        }

        @Override public HnIsometry inverse() { return new Translation(Arrays.stream(shift).map(v -> -v).toArray()); }
    }

    /** x ↦ λx (λ > 0). */
    record Dilation(int dimension, double factor) implements HnIsometry {
        public Dilation {
            if (!(factor > 0) || !Double.isFinite(factor)) throw new IllegalArgumentException("a dilation needs a positive factor, got " + factor);
        }

        @Override public HnPoint apply(HnPoint p) {
            double[] x = check(this, p);
            for (int i = 0; i < x.length; i++) x[i] *= factor;
            return new HnPoint(x);
        }

        @Override public HnIsometry inverse() { return new Dilation(dimension, 1 / factor); }
    }

    /** (x', h) ↦ (Rx', h) with R orthogonal, (n−1)×(n−1), given row by row. */
    record Rotation(double[][] matrix) implements HnIsometry {
        public Rotation {
            matrix = Arrays.stream(matrix).map(double[]::clone).toArray(double[][]::new);
            for (double[] row : matrix) if (row.length != matrix.length) throw new IllegalArgumentException("a rotation matrix must be square");
        }

        @Override public int dimension() { return matrix.length + 1; }

        @Override public HnPoint apply(HnPoint p) {
            double[] x = check(this, p);
            double[] y = x.clone();
            for (int i = 0; i < matrix.length; i++) {
                double s = 0;
                for (int j = 0; j < matrix.length; j++) s += matrix[i][j] * x[j];
                y[i] = s;
            }
            return new HnPoint(y);
        }

        @Override public HnIsometry inverse() {
            int m = matrix.length;
            double[][] t = new double[m][m];
            for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) t[i][j] = matrix[j][i];
            return new Rotation(t);
        }
    }

    /** Inversion in the sphere of radius r about the boundary point (c, 0): x ↦ ĉ + r²(x − ĉ)/|x − ĉ|². Its own inverse. */
    record Inversion(double[] center, double radius) implements HnIsometry {
        public Inversion {
            center = center.clone();
            if (!(radius > 0) || !Double.isFinite(radius)) throw new IllegalArgumentException("an inversion needs a positive radius, got " + radius);
        }

        @Override public int dimension() { return center.length + 1; }

        @Override public HnPoint apply(HnPoint p) {
            double[] x = check(this, p);
            double r2 = 0;
            for (int i = 0; i < x.length; i++) {
                if (i < center.length) x[i] -= center[i];
                r2 += x[i] * x[i];
            }
            double f = radius * radius / r2;
            for (int i = 0; i < x.length; i++) x[i] = x[i] * f + (i < center.length ? center[i] : 0);
            return new HnPoint(x);
        }

        @Override public HnIsometry inverse() { return this; }
    }

    /** A Möbius map of H² (n = 2) seen as an isometry of the half-plane. */
    record Mobius(Psl2R map) implements HnIsometry {
        @Override public int dimension() { return 2; }

        @Override public HnPoint apply(HnPoint p) {
            check(this, p);
            H2Point z = map.apply(new H2Point(p.coord(0), p.coord(1)));
            return HnPoint.of(z.x(), z.y());
        }

        @Override public HnIsometry inverse() { return new Mobius(map.inverse()); }
    }

    /** The steps applied in order, first to last. */
    record Composite(List<HnIsometry> steps) implements HnIsometry {
        public Composite {
            steps = List.copyOf(steps);
            if (steps.isEmpty()) throw new IllegalArgumentException("a composite needs at least one step");
            for (HnIsometry s : steps) {
                if (s.dimension() != steps.getFirst().dimension()) throw new IllegalArgumentException("steps act on different dimensions");
            }
        }

        @Override public int dimension() { return steps.getFirst().dimension(); }

        @Override public HnPoint apply(HnPoint p) {
            for (HnIsometry s : steps) p = s.apply(p);
            return p;
        }

        @Override public HnIsometry inverse() {
            List<HnIsometry> r = new ArrayList<>();
            for (int i = steps.size() - 1; i >= 0; i--) r.add(steps.get(i).inverse());
            return new Composite(r);
        }
    }

    /**
     * An isometry given by its O⁺(n,1) matrix (how element files store one): it maps a half-space point through the
     * hyperboloid. A matrix that is not (numerically) Lorentz is refused: it would not map Hⁿ to itself.
     */
    record Lorentz(double[][] matrix) implements HnIsometry {
        /** How far LᵀJL may be from J (the stored matrices carry float64 rounding of a product of generators). */
        public static final double DEFECT_TOLERANCE = 1e-6;

        public Lorentz {
            int m = matrix.length;
            if (m < 3) throw new IllegalArgumentException("an O⁺(n,1) matrix for n ≥ 2 is at least 3×3, got " + m + " rows");
            double[][] copy = new double[m][];
            for (int i = 0; i < m; i++) {
                if (matrix[i].length != m) throw new IllegalArgumentException("an O⁺(n,1) matrix must be square");
                for (double v : matrix[i]) if (!Double.isFinite(v)) throw new IllegalArgumentException("non-finite entry in an O⁺(n,1) matrix");
                copy[i] = matrix[i].clone();
            }
            double defect = Hyperboloid.lorentzDefect(copy);
            if (!(defect <= DEFECT_TOLERANCE * Math.max(1, copy[0][0] * copy[0][0])) || copy[0][0] <= 0) {
                throw new IllegalArgumentException("not an O⁺(n,1) matrix (|LᵀJL − J| = " + defect + ", L₀₀ = " + copy[0][0] + ")");
            }
            matrix = copy;
        }

        @Override public int dimension() { return matrix.length - 1; }

        @Override public HnPoint apply(HnPoint p) {
            return Hyperboloid.toHalfSpace(Hyperboloid.apply(matrix, Hyperboloid.fromHalfSpace(p.coords())));
        }

        @Override public HnIsometry inverse() { return new Lorentz(Hyperboloid.inverse(matrix)); }

        @Override public double[][] toLorentz() {
            double[][] copy = new double[matrix.length][];
            for (int i = 0; i < copy.length; i++) copy[i] = matrix[i].clone();
            return copy;
        }
    }

    static HnIsometry identity(int n) { return new Dilation(n, 1); }

    /**
     * A random isometry: a Haar rotation, then a dilation by e^u, a translation by a vector with entries
     * uniform in [−spread, spread], and with probability ½ an inversion about a centre drawn the same way with
     * radius e^{u'}, where u, u' are uniform in [−spread, spread].
     */
    static HnIsometry random(int n, RandomGenerator rng, double spread) {
        if (n < 2) throw new IllegalArgumentException("Hⁿ needs n ≥ 2, got " + n);
        if (!(spread >= 0) || !Double.isFinite(spread)) throw new IllegalArgumentException("spread must be ≥ 0, got " + spread);
        List<HnIsometry> steps = new ArrayList<>();
        steps.add(new Rotation(dev.orbit.numeric.Matrices.haarOrthogonal(n - 1, rng)));
        steps.add(new Dilation(n, Math.exp(uniform(rng, spread))));
        double[] t = new double[n - 1];
        for (int i = 0; i < t.length; i++) t[i] = uniform(rng, spread);
        steps.add(new Translation(t));
        if (rng.nextBoolean()) {
            double[] c = new double[n - 1];
            for (int i = 0; i < c.length; i++) c[i] = uniform(rng, spread);
            steps.add(new Inversion(c, Math.exp(uniform(rng, spread))));
        }
        return new Composite(steps);
    }

    private static double uniform(RandomGenerator rng, double spread) {
        return spread == 0 ? 0 : rng.nextDouble(-spread, spread);
    }

    private static double[] check(HnIsometry g, HnPoint p) {
        if (p.dimension() != g.dimension()) {
            throw new IllegalArgumentException("an isometry of H" + g.dimension() + " applied to a point of H" + p.dimension());
        }
        return p.coords();
    }
}
