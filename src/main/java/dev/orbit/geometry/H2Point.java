package dev.orbit.geometry;

/** A point z = x + iy of the upper half-plane H² (y > 0). */
public record H2Point(double x, double y) {
    public H2Point {
        if (!(y > 0) || !Double.isFinite(x) || !Double.isFinite(y)) {
            throw new IllegalArgumentException("a point of H² needs a finite x and a positive finite y, got " + x + " + " + y + "i");
        }
    }

    /** d_H(z, w) = 2·asinh(|z−w| / (2√(Im z·Im w))). */
    public double distance(H2Point w) {
        double dx = x - w.x;
        double dy = y - w.y;
        return HyperbolicMath.distanceFromSeparation(dx * dx + dy * dy, y, w.y);
    }

    /** The same point in the hyperboloid model (n = 2). */
    public double[] toHyperboloid() { return Hyperboloid.fromHalfSpace(new double[] {x, y}); }
}
