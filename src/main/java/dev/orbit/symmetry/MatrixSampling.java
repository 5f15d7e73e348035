package dev.orbit.symmetry;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import dev.orbit.numeric.Matrices;

/**
 * Random matrix parts: per-head GL(d) with a condition-number bound κ (U·diag(σ)·Vᵀ, Haar U and V, log σ uniform
 * with both extremes ±½ log κ, so every A has condition number exactly κ), per-head scalings with factors
 * log-uniform in [1/s, s] that satisfy each attention's constraint, and residual-stream rotations (Haar, or a
 * randomised Hadamard matrix H·diag(±1)/√d). Seeded.
 */
public final class MatrixSampling {
    public enum Rotation { HAAR, HADAMARD }

    private MatrixSampling() {}

    /** A random A on every head of every query–key and value–output pair (in the rotary commutant where RoPE acts). */
    public static List<MatrixPart> pairs(SymmetryAnalysis a, double kappa, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<MatrixPart> out = new ArrayList<>();
        for (LinearPair p : a.pairs()) {
            double[][][] blocks = new double[p.blocks()][][];
            for (int h = 0; h < blocks.length; h++) {
                blocks[h] = p.group() == LinearPair.Group.ROPE_COMMUTANT ? RotaryCommutant.random(p.headDim(), kappa, rng)
                        : Matrices.wellConditioned(p.headDim(), kappa, rng);
            }
            out.add(new PairTransform(p.id(), blocks));
        }
        return out;
    }

    /** Per-head (α_q, α_k, α_v) on every attention, each factor within [1/spread, spread] up to the constraints. */
    public static List<MatrixPart> headScalings(SymmetryAnalysis a, double spread, long seed) {
        if (!(spread >= 1) || !Double.isFinite(spread)) throw new IllegalArgumentException("the scaling spread must be ≥ 1, got " + spread);
        SplittableRandom rng = new SplittableRandom(seed);
        double s = Math.log(spread);
        List<MatrixPart> out = new ArrayList<>();
        for (AttentionBlock b : a.attentions()) {
            double[] q = new double[b.heads()];
            double[] k = new double[b.heads()];
            double[] v = new double[b.heads()];
            boolean relu = b.positivelyHomogeneous() && b.score() == AttentionBlock.Score.RELU;
            for (int h = 0; h < b.heads(); h++) {
                q[h] = Math.exp(s == 0 ? 0 : rng.nextDouble(-s, s));
                k[h] = relu ? Math.exp(s == 0 ? 0 : rng.nextDouble(-s, s)) : 1 / q[h];
                v[h] = b.output().isEmpty() ? 1 / (q[h] * k[h]) : Math.exp(s == 0 ? 0 : rng.nextDouble(-s, s));
            }
            out.add(new HeadScaling(b.id(), q, k, v));
        }
        return out;
    }

    /** A random rotation of every rotatable residual stream. */
    public static List<MatrixPart> rotations(SymmetryAnalysis a, Rotation kind, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<MatrixPart> out = new ArrayList<>();
        for (ResidualStream st : a.rotatableStreams()) out.add(new StreamRotation(st.id(), rotation(st.size(), kind, rng)));
        return out;
    }

    static double[][] rotation(int n, Rotation kind, SplittableRandom rng) {
        return kind == Rotation.HAAR ? Matrices.haarOrthogonal(n, rng) : Matrices.randomHadamard(n, rng);
    }
}
