package dev.orbit.symmetry;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Random group elements. Change-of-basis (CoB) factors follow the neural-teleportation paper's samplers with
 * range r (and centre c): intra U[1−r, 1+r]; inter U[−1−r, −1+r] or U[1−r, 1+r] with probability ½ each;
 * positive U[0, r]; negative U[−r, 0]; centred U[c−r, c+r]. Spaces that take positive factors only get |τ|.
 * Permutations are uniform (Fisher–Yates). Everything is seeded.
 */
public final class Sampling {
    public enum Kind { INTRA, INTER, POSITIVE, NEGATIVE, CENTERED }

    /** A sampler configuration; {@code centre} is used by CENTERED only. */
    public record Cob(Kind kind, double range, double centre) {
        public Cob {
            if (!(range > 0) || !Double.isFinite(range)) throw new IllegalArgumentException("the CoB range must be positive, got " + range);
            if (kind == Kind.INTRA && range >= 1) throw new IllegalArgumentException("intra-landscape sampling needs a range below 1 (factors U[1-r, 1+r] must stay positive), got " + range);
        }

        /** One factor from this distribution (never zero). */
        public double draw(SplittableRandom rng) {
            double v;
            do {
                v = switch (kind) {
                    case INTRA -> rng.nextDouble(1 - range, 1 + range);
                    case INTER -> (rng.nextBoolean() ? 1 : -1) * rng.nextDouble(1 - range, 1 + range);
                    case POSITIVE -> rng.nextDouble(0, range);
                    case NEGATIVE -> -rng.nextDouble(0, range);
                    case CENTERED -> rng.nextDouble(centre - range, centre + range);
                };
            } while (v == 0 || Math.abs(v) < 1e-12);
            return v;
        }
    }

    private Sampling() {}

    /** Random scale factors on every space that admits scaling. */
    public static GroupElement scales(SymmetryAnalysis a, Cob cob, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<Integer, double[]> scales = new TreeMap<>();
        for (NeuronSpace s : a.spaces()) {
            if (s.scaling() == Scaling.NONE) continue;
            double[] t = new double[Math.toIntExact(s.size())];
            for (int j = 0; j < t.length; j++) {
                t[j] = cob.draw(rng);
                if (s.scaling() == Scaling.POSITIVE) t[j] = Math.abs(t[j]);
            }
            scales.put(s.id(), t);
        }
        return new GroupElement(Map.of(), scales);
    }

    /** A uniform random permutation of every permutable class. */
    public static GroupElement permutations(SymmetryAnalysis a, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<Integer, int[]> perms = new TreeMap<>();
        for (var e : a.permutableClasses().entrySet()) {
            int[] p = new int[Math.toIntExact(e.getValue())];
            for (int i = 0; i < p.length; i++) p[i] = i;
            for (int i = p.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = p[i];
                p[i] = p[j];
                p[j] = t;
            }
            perms.put(e.getKey(), p);
        }
        return new GroupElement(perms, Map.of());
    }

    /** Scales and permutations together (seeds derived from one). */
    public static GroupElement both(SymmetryAnalysis a, Cob cob, long seed) {
        GroupElement s = scales(a, cob, seed);
        GroupElement p = permutations(a, seed ^ 0x9E3779B97F4A7C15L);
        return new GroupElement(p.permutations(), s.scales());
    }
}
