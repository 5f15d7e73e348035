package dev.orbit.geometry;

import java.util.Arrays;

/** A point (x₁, …, xₙ) of the upper half-space model of Hⁿ: xₙ > 0. */
public record HnPoint(double[] coords) {
    public HnPoint {
        if (coords.length < 2) throw new IllegalArgumentException("Hⁿ needs n ≥ 2 coordinates, got " + coords.length);
        for (double c : coords) if (!Double.isFinite(c)) throw new IllegalArgumentException("non-finite coordinate in " + Arrays.toString(coords));
        if (!(coords[coords.length - 1] > 0)) {
            throw new IllegalArgumentException("the last coordinate of a point of Hⁿ must be positive: " + Arrays.toString(coords));
        }
        coords = coords.clone();
    }

    public static HnPoint of(double... coords) { return new HnPoint(coords); }

    public int dimension() { return coords.length; }

    public double coord(int i) { return coords[i]; }

    public double height() { return coords[coords.length - 1]; }

    @Override public double[] coords() { return coords.clone(); }

    /** d = arcosh(1 + |x−y|²/(2xₙyₙ)), evaluated as 2·asinh(|x−y| / (2√(xₙyₙ))). */
    public double distance(HnPoint o) {
        if (o.coords.length != coords.length) throw new IllegalArgumentException("points of H" + coords.length + " and H" + o.coords.length);
        double s = 0;
        for (int i = 0; i < coords.length; i++) {
            double d = coords[i] - o.coords[i];
            s += d * d;
        }
        return HyperbolicMath.distanceFromSeparation(s, height(), o.height());
    }

    @Override public boolean equals(Object o) { return o instanceof HnPoint(double[] c) && Arrays.equals(c, coords); }

    @Override public int hashCode() { return Arrays.hashCode(coords); }

    @Override public String toString() { return "HnPoint" + Arrays.toString(coords); }
}
