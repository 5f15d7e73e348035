package dev.orbit;

import java.nio.file.Path;

import dev.orbit.symmetry.MatrixSampling;
import dev.orbit.symmetry.Sampling;
import dev.orbit.train.GroupParameters;
import dev.orbit.train.Objective;
import dev.orbit.train.OrbitOptimizer;
import dev.orbit.train.TrustRegion;

/**
 * The moves along a model's orbit. Each is an immutable value; the builder methods return changed copies.
 *
 * <pre>{@code
 * import static dev.orbit.symmetry.Sampling.Kind.INTER;
 * import static dev.orbit.symmetry.MatrixSampling.Rotation.HADAMARD;
 *
 * Moves.teleport(INTER, 0.9).permute().seed(1)     // CoB factors ±U[0.1, 1.9] on every free space, and permutations
 * Moves.teleport().attention(10)                   // also GL(d) per attention head (condition number 10)
 * Moves.teleport().rotateResidual(HADAMARD)        // fold norm gains (exact), rotate every residual stream
 * Moves.permute().seed(3)                          // random permutations only
 * Moves.apply(Path.of("m.element.json")).inverse() // replay a saved element, or undo it
 * Moves.optimise(Objective.weightNorm())          // the minimum-norm point of the scaling orbit (ENorm)
 * }</pre>
 */
public final class Moves {
    /** The command line's defaults: intra-landscape sampling, range 0.5, centre 1, seed 0. */
    public static final Sampling.Kind DEFAULT_SAMPLING = Sampling.Kind.INTRA;
    public static final double DEFAULT_RANGE = 0.5;
    public static final double DEFAULT_CENTER = 1;
    /** Attention matrices A: condition number 10; per-head scalings within [1/2, 2]. */
    public static final double DEFAULT_CONDITION = 10;
    public static final double DEFAULT_HEAD_SCALE = 2;

    private Moves() {}

    /** A random change of basis with the default sampler (intra, r = 0.5). */
    public static Teleport teleport() { return teleport(DEFAULT_SAMPLING, DEFAULT_RANGE); }

    /**
     * A random change of basis on every free neuron space, factors from the neural-teleportation paper's samplers:
     * INTRA U[1−r, 1+r], INTER ±U[1−r, 1+r], POSITIVE U[0, r], NEGATIVE U[−r, 0], CENTERED U[c−r, c+r].
     * Throws IllegalArgumentException for a range the sampler cannot use.
     */
    public static Teleport teleport(Sampling.Kind sampling, double range) {
        return new Teleport(sampling, range, DEFAULT_CENTER, false, 0, null, null);
    }

    /**
     * The point of the orbit that optimises {@code objective} (e.g. {@code Objective.weightNorm()}, or
     * {@code Objective.gradientNorm(x, y, loss)}), reached by gradient steps on the group coordinates inside
     * {@code region}; 100 steps at learning rate 0.1 unless changed with {@link Optimise#steps} and {@link Optimise#lr}.
     */
    public static Optimise optimise(Objective objective, TrustRegion region) {
        return new Optimise(objective, region, DEFAULT_OPTIMISE_STEPS, DEFAULT_OPTIMISE_LR, GroupParameters.Scales.PER_NEURON);
    }

    /** {@link #optimise(Objective, TrustRegion)} with the default trust region (factors within [1/4, 4], condition number ≤ 10). */
    public static Optimise optimise(Objective objective) { return optimise(objective, TrustRegion.DEFAULT); }

    /** A random permutation of every permutable space, seed 0. */
    public static Permute permute() { return new Permute(0); }

    /** Replays a group element saved by {@link Moved#saveElement(Path)} (checked against this model's spaces). */
    public static Apply apply(Path elementFile) { return new Apply(elementFile, null, false); }

    /** Applies an element in memory (made for this model). */
    public static Apply apply(Element element) { return new Apply(null, element, false); }

    /**
     * A teleport: CoB factors on every free space, optionally permutations, GL(d) on attention and a rotation of
     * the residual streams. The seeds of the attention, head-scaling and rotation parts are derived from {@code seed}.
     */
    public record Teleport(Sampling.Kind sampling, double range, double center, boolean permutations, long seed,
                           Attention attention, MatrixSampling.Rotation rotation) implements Move {
        public Teleport {
            new Sampling.Cob(sampling, range, center); // rejects ranges the sampler cannot use
        }

        /** Also permute every permutable space. */
        public Teleport permute() { return new Teleport(sampling, range, center, true, seed, attention, rotation); }

        public Teleport seed(long s) { return new Teleport(sampling, range, center, permutations, s, attention, rotation); }

        /** The centre c of CENTERED sampling. */
        public Teleport center(double c) { return new Teleport(sampling, range, c, permutations, seed, attention, rotation); }

        /** Also a random A per attention head with condition number {@code condition}, and per-head scalings within [1/2, 2]. */
        public Teleport attention(double condition) { return attention(condition, DEFAULT_HEAD_SCALE); }

        /** Also a random A per head (condition number {@code condition}) and per-head scalings within [1/headScale, headScale]. */
        public Teleport attention(double condition, double headScale) {
            return new Teleport(sampling, range, center, permutations, seed, new Attention(condition, headScale), rotation);
        }

        /** Fold norm gains into the linear maps (an exact rewrite), then rotate every residual stream by one orthogonal Q. */
        public Teleport rotateResidual(MatrixSampling.Rotation kind) {
            return new Teleport(sampling, range, center, permutations, seed, attention, kind);
        }

        Sampling.Cob cob() { return new Sampling.Cob(sampling, range, center); }
    }

    /** The attention part of a teleport. */
    public record Attention(double condition, double headScale) {
        public Attention {
            if (!(condition >= 1) || !Double.isFinite(condition)) throw new IllegalArgumentException("the condition number must be ≥ 1, got " + condition);
            if (!(headScale >= 1) || !Double.isFinite(headScale)) throw new IllegalArgumentException("the head-scale spread must be ≥ 1, got " + headScale);
        }
    }

    /** The optimiser's defaults for {@link #optimise}. */
    public static final int DEFAULT_OPTIMISE_STEPS = 100;
    public static final double DEFAULT_OPTIMISE_LR = 0.1;

    /** A chosen teleport: the orbit point that optimises an objective inside a trust region. */
    public record Optimise(Objective objective, TrustRegion region, int steps, double lr, GroupParameters.Scales scales) implements Move {
        public Optimise {
            java.util.Objects.requireNonNull(objective, "objective");
            java.util.Objects.requireNonNull(region, "trust region");
            new OrbitOptimizer.Config(steps, lr, region, scales); // rejects what the optimiser cannot use
        }

        public Optimise steps(int s) { return new Optimise(objective, region, s, lr, scales); }

        public Optimise lr(double l) { return new Optimise(objective, region, steps, l, scales); }

        /** One log-scale per space (a uniform factor on each space) instead of one per neuron. */
        public Optimise perSpace() { return new Optimise(objective, region, steps, lr, GroupParameters.Scales.PER_SPACE); }

        OrbitOptimizer.Config config() { return new OrbitOptimizer.Config(steps, lr, region, scales); }
    }

    /** Random permutations of every permutable space. */
    public record Permute(long seed) implements Move {
        public Permute seed(long s) { return new Permute(s); }
    }

    /** A saved (file) or in-memory element, or its inverse. */
    public record Apply(Path file, Element element, boolean inverted) implements Move {
        /** Apply the inverse element instead (undo). */
        public Apply inverse() { return new Apply(file, element, !inverted); }
    }
}
