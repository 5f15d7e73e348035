package dev.orbit.geometry;

import java.util.random.RandomGenerator;

/**
 * The group element that acts on one length-product layer: it moves every weight point and the layer's input
 * frame together, so the layer computes the same function. One kind per geometry.
 */
public sealed interface LayerIsometry {
    /** The inverse, of the same kind. */
    LayerIsometry inverse();

    /** This isometry after {@code first}, which must be of the same kind (they act on the same layer). */
    default LayerIsometry compose(LayerIsometry first) {
        return switch (this) {
            case Mobius(Psl2R m) when first instanceof Mobius(Psl2R f) -> new Mobius(m.times(f));
            case HalfSpace(HnIsometry m) when first instanceof HalfSpace(HnIsometry f) && f.dimension() == m.dimension() ->
                    new HalfSpace(m.after(f));
            case Line l when first instanceof Line f -> l.after(f);
            default -> throw new IllegalArgumentException("cannot compose " + kind(this) + " with " + kind(first) + " on one layer");
        };
    }

    /** PSL(2,R) acting on an H² layer whose frame is a 2×2 Möbius matrix. */
    record Mobius(Psl2R map) implements LayerIsometry {
        @Override public Mobius inverse() { return new Mobius(map.inverse()); }
    }

    /** An isometry of Hⁿ acting on a layer whose frame is an O⁺(n,1) matrix. */
    record HalfSpace(HnIsometry map) implements LayerIsometry {
        @Override public HalfSpace inverse() { return new HalfSpace(map.inverse()); }
    }

    /** x ↦ σx + shift (σ = ±1) acting on a Euclidean length-product layer: the isometries of the line. */
    record Line(double sign, double shift) implements LayerIsometry {
        public Line {
            if (sign != 1 && sign != -1) throw new IllegalArgumentException("the sign of a line isometry is ±1, got " + sign);
            if (!Double.isFinite(shift)) throw new IllegalArgumentException("shift must be finite");
        }

        public double apply(double x) { return sign * x + shift; }

        /** this ∘ first. */
        public Line after(Line first) { return new Line(sign * first.sign, sign * first.shift + shift); }

        @Override public Line inverse() { return new Line(sign, -sign * shift); }
    }

    /** A short name of the kind, for messages. */
    static String kind(LayerIsometry g) {
        return switch (g) {
            case Mobius m -> "a PSL(2,R) map";
            case HalfSpace h -> "an isometry of H" + h.map().dimension();
            case Line l -> "a line isometry";
        };
    }

    /** A random element for a layer of the given geometry (n = 1: the line; 2 with a Möbius frame; else Hⁿ). */
    static LayerIsometry random(Geometry geometry, RandomGenerator rng, double spread) {
        return switch (geometry) {
            case Geometry.Line l -> new Line(rng.nextBoolean() ? 1 : -1, spread == 0 ? 0 : rng.nextDouble(-spread, spread));
            case Geometry.Plane p -> new Mobius(Psl2R.random(rng, spread));
            case Geometry.HalfSpace h -> new HalfSpace(HnIsometry.random(h.n(), rng, spread));
        };
    }

    /** Which space a length-product layer's points live in, and so which group acts on it. */
    sealed interface Geometry {
        /** The real line with |x − y| (Euclidean length product). */
        record Line() implements Geometry {}

        /** H² with a PSL(2,R) frame. */
        record Plane() implements Geometry {}

        /** Hⁿ (n ≥ 2) with an O⁺(n,1) frame. */
        record HalfSpace(int n) implements Geometry {
            public HalfSpace {
                if (n < 2) throw new IllegalArgumentException("Hⁿ needs n ≥ 2, got " + n);
            }
        }
    }
}
