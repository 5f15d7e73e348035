package dev.orbit.geometry;

/**
 * The Poincaré disc model, reached from H² by the Cayley map z ↦ (z − i)/(z + i). Disc points are (u, v) with
 * u² + v² < 1.
 */
public final class PoincareDisc {
    private PoincareDisc() {}

    /** A point u + iv of the open unit disc. */
    public record Point(double u, double v) {
        public Point {
            if (!(u * u + v * v < 1)) throw new IllegalArgumentException("a disc point needs |w| < 1, got " + u + " + " + v + "i");
        }
    }

    /** Cayley map: (z − i)/(z + i) = (x² + y² − 1 − 2ix) / (x² + (y + 1)²). */
    public static Point fromHalfPlane(H2Point z) {
        double x = z.x();
        double y = z.y();
        double den = x * x + (y + 1) * (y + 1);
        // x² + y² − 1 = x² + (y − 1)(y + 1): no cancellation near i
        return new Point((x * x + (y - 1) * (y + 1)) / den, -2 * x / den);
    }

    /** Inverse Cayley map: w ↦ i(1 + w)/(1 − w). */
    public static H2Point toHalfPlane(Point w) {
        double ur = 1 - w.u();
        double den = ur * ur + w.v() * w.v();
        // i(1 + w)(1 − w̄)/|1 − w|²: real part −2v/den, imaginary part (1 − |w|²)/den
        double oneMinusR2 = (1 - w.u()) * (1 + w.u()) - w.v() * w.v();
        return new H2Point(-2 * w.v() / den, oneMinusR2 / den);
    }

    /** d(p, q) = 2·asinh(|p − q| / √((1 − |p|²)(1 − |q|²))). */
    public static double distance(Point p, Point q) {
        double du = p.u() - q.u();
        double dv = p.v() - q.v();
        double sp = (1 - p.u()) * (1 + p.u()) - p.v() * p.v();
        double sq = (1 - q.u()) * (1 + q.u()) - q.v() * q.v();
        return 2 * HyperbolicMath.asinh(Math.sqrt((du * du + dv * dv) / (sp * sq)));
    }

    /** The disc isometry C·M·C⁻¹ that corresponds to a Möbius map M of H², applied to w. */
    public static Point apply(Psl2R m, Point w) {
        return fromHalfPlane(m.apply(toHalfPlane(w)));
    }
}
