package dev.orbit.geometry;

import java.util.random.RandomGenerator;

/**
 * An element of PSL(2,R): a real 2×2 matrix [[a, b], [c, d]] with determinant 1, where M and −M are the same
 * element. It acts on H² by the Möbius map z ↦ (az + b)/(cz + d), an isometry of the hyperbolic metric.
 */
public record Psl2R(double a, double b, double c, double d) {
    /** Matrices are accepted when |det − 1| stays within rounding of the entries' size. */
    private static final double DET_TOLERANCE = 1e-9;

    public Psl2R {
        double det = a * d - b * c;
        double scale = Math.max(1, Math.max(Math.abs(a * d), Math.abs(b * c)));
        if (!(Math.abs(det - 1) <= DET_TOLERANCE * scale)) {
            throw new IllegalArgumentException("a PSL(2,R) element needs determinant 1, got " + det);
        }
    }

    public static final Psl2R IDENTITY = new Psl2R(1, 0, 0, 1);

    /** Any real matrix with positive determinant, scaled by 1/√det into SL(2,R). */
    public static Psl2R normalised(double a, double b, double c, double d) {
        double det = a * d - b * c;
        if (!(det > 0)) throw new IllegalArgumentException("a Möbius map of H² needs a positive determinant, got " + det);
        double s = 1 / Math.sqrt(det);
        return new Psl2R(a * s, b * s, c * s, d * s);
    }

    /** K(θ): rotation about i. */
    public static Psl2R rotation(double theta) {
        double c = Math.cos(theta);
        double s = Math.sin(theta);
        return new Psl2R(c, -s, s, c);
    }

    /** A(t): the dilation z ↦ eᵗz (translation by t along the imaginary axis). */
    public static Psl2R dilation(double t) {
        return new Psl2R(Math.exp(t / 2), 0, 0, Math.exp(-t / 2));
    }

    /** N(s): the horizontal translation z ↦ z + s. */
    public static Psl2R translation(double s) { return new Psl2R(1, s, 0, 1); }

    /** The Iwasawa product K(θ)·A(t)·N(s); every element of PSL(2,R) is one, with θ ∈ [0, π). */
    public static Psl2R kan(double theta, double t, double s) {
        return rotation(theta).times(dilation(t)).times(translation(s));
    }

    /**
     * A random element K(θ)A(t)N(s) with θ uniform in [0, π) and t, s uniform in [−spread, spread]: spread 0
     * gives rotations about i only; a larger spread moves points farther (i goes to eᵗ(s + i)).
     */
    public static Psl2R random(RandomGenerator rng, double spread) {
        if (!(spread >= 0) || !Double.isFinite(spread)) throw new IllegalArgumentException("spread must be ≥ 0, got " + spread);
        double theta = rng.nextDouble() * Math.PI;
        double t = spread == 0 ? 0 : rng.nextDouble(-spread, spread);
        double s = spread == 0 ? 0 : rng.nextDouble(-spread, spread);
        return kan(theta, t, s);
    }

    /** The matrix product this·other: acting, {@code other} first. */
    public Psl2R times(Psl2R o) {
        return new Psl2R(a * o.a + b * o.c, a * o.b + b * o.d, c * o.a + d * o.c, c * o.b + d * o.d);
    }

    /** The inverse [[d, −b], [−c, a]] (determinant 1). */
    public Psl2R inverse() { return new Psl2R(d, -b, -c, a); }

    /** The Möbius map: Im T(z) = Im z / |cz + d|² (det = 1). */
    public H2Point apply(H2Point z) {
        double nr = a * z.x() + b;
        double dr = c * z.x() + d;
        double di = c * z.y();
        double den = dr * dr + di * di;
        double re = (nr * dr + a * z.y() * di) / den;
        return new H2Point(re, z.y() / den);
    }

    /** True when this and {@code o} are the same element of PSL(2,R) (equal up to sign) within {@code tol}. */
    public boolean sameAs(Psl2R o, double tol) {
        return close(o, 1, tol) || close(o, -1, tol);
    }

    private boolean close(Psl2R o, double sign, double tol) {
        return Math.abs(a - sign * o.a) <= tol && Math.abs(b - sign * o.b) <= tol && Math.abs(c - sign * o.c) <= tol
                && Math.abs(d - sign * o.d) <= tol;
    }

    /** The entries row by row, [a, b, c, d]. */
    public double[] toArray() { return new double[] {a, b, c, d}; }

    public static Psl2R of(double[] m) {
        if (m.length != 4) throw new IllegalArgumentException("a 2×2 matrix has 4 entries, got " + m.length);
        return new Psl2R(m[0], m[1], m[2], m[3]);
    }
}
