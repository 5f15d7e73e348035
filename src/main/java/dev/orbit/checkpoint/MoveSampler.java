package dev.orbit.checkpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import dev.orbit.numeric.Matrices;

/** Random group elements for the checkpoint moves, reproducible from a seed. */
public final class MoveSampler {
    private MoveSampler() {}

    public enum Rotation { HAAR, HADAMARD }

    /**
     * Haar-random Q, or a randomised Hadamard (H_m ⊗ H_{2ᵏ})·diag(±1)/√d applied by a fast transform (d = m·2ᵏ
     * with m a Sylvester or Paley order, {@link dev.orbit.numeric.Hadamard#split}; other widths are refused).
     */
    public static ResidualRotation rotation(Architecture a, Rotation kind, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int d = a.hiddenSize();
        return new ResidualRotation(kind == Rotation.HAAR ? new Orthogonal.Dense(Matrices.haarOrthogonal(d, rng))
                : Orthogonal.KroneckerHadamard.random(d, rng));
    }

    /** Random permutations; SwiGLU scales |τ| ∈ [1/spread, spread] with random signs (GELU families: τ = 1). */
    public static MlpChannels mlp(Architecture a, double spread, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = switch (a) {
            case DecoderArchitecture d -> d.intermediateSize();
            case Gpt2Architecture g -> g.innerSize();
            case BertArchitecture b -> b.intermediateSize();
        };
        List<long[]> perms = new ArrayList<>();
        List<double[]> scales = new ArrayList<>();
        for (int i = 0; i < a.layers(); i++) {
            perms.add(permutation(n, rng));
            double[] t = new double[n];
            for (int c = 0; c < n; c++) {
                t[c] = a instanceof DecoderArchitecture
                        ? Math.exp(rng.nextDouble(-Math.log(spread), Math.log(spread))) * (rng.nextBoolean() ? 1 : -1) : 1;
            }
            scales.add(t);
        }
        return new MlpChannels(perms, scales);
    }

    /**
     * The MLP move of {@code orbit teleport}: SwiGLU scales drawn from {@code cob} (GELU families: 1), channels
     * permuted when {@code permute}, else kept in place.
     */
    public static MlpChannels mlp(Architecture a, dev.orbit.symmetry.Sampling.Cob cob, boolean permute, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = switch (a) {
            case DecoderArchitecture d -> d.intermediateSize();
            case Gpt2Architecture g -> g.innerSize();
            case BertArchitecture b -> b.intermediateSize();
        };
        List<long[]> perms = new ArrayList<>();
        List<double[]> scales = new ArrayList<>();
        for (int i = 0; i < a.layers(); i++) {
            long[] p = permute ? permutation(n, rng) : identity(n);
            double[] t = new double[n];
            for (int c = 0; c < n; c++) t[c] = a instanceof DecoderArchitecture ? cob.draw(rng) : 1;
            perms.add(p);
            scales.add(t);
        }
        return new MlpChannels(perms, scales);
    }

    static long[] identity(int n) {
        long[] p = new long[n];
        for (int i = 0; i < n; i++) p[i] = i;
        return p;
    }

    /** Per key/value head C with condition number exactly κ. */
    public static ValueMaps values(Architecture a, double kappa, long seed) {
        return new ValueMaps(perKvHead(a, kappa, seed));
    }

    /** Per key/value head general A with condition number κ (exact only without rotary embeddings). */
    public static QueryKeyMaps queryKeys(Architecture a, double kappa, long seed) {
        return new QueryKeyMaps(perKvHead(a, kappa, seed));
    }

    /** Rotary-commuting blocks: ρ_k ∈ ±[1/2, 2], φ_k ∈ [0, 2π). */
    public static RotaryQueryKeyMaps rotaryQueryKeys(DecoderArchitecture a, long seed) {
        return rotaryQueryKeys(a, 2, seed);
    }

    /** Rotary-commuting blocks: ρ_k ∈ ±[1/spread, spread], φ_k ∈ [0, 2π). */
    public static RotaryQueryKeyMaps rotaryQueryKeys(DecoderArchitecture a, double spread, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<List<double[]>> rho = new ArrayList<>(), phi = new ArrayList<>();
        for (int i = 0; i < a.layers(); i++) {
            List<double[]> r = new ArrayList<>(), p = new ArrayList<>();
            for (int g = 0; g < a.kvHeads(); g++) {
                r.add(signedScales(a.headDim() / 2, spread, rng));
                double[] angles = new double[a.headDim() / 2];
                for (int k = 0; k < angles.length; k++) angles[k] = rng.nextDouble(0, 2 * Math.PI);
                p.add(angles);
            }
            rho.add(r);
            phi.add(p);
        }
        return new RotaryQueryKeyMaps(rho, phi);
    }

    /** Pair-constant q/k norm gain scales ±[1/2, 2] (Qwen3). */
    public static QkNormScaling qkNorm(DecoderArchitecture a, long seed) {
        return qkNorm(a, 2, seed);
    }

    /** Pair-constant q/k norm gain scales ±[1/spread, spread] (Qwen3). */
    public static QkNormScaling qkNorm(DecoderArchitecture a, double spread, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<double[]> s = new ArrayList<>();
        for (int i = 0; i < a.layers(); i++) s.add(signedScales(a.headDim() / 2, spread, rng));
        return new QkNormScaling(s);
    }

    /** Random key/value head orders and random orders within every group. */
    public static HeadPermutation heads(Architecture a, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<long[]> kv = new ArrayList<>();
        List<long[][]> within = new ArrayList<>();
        for (int i = 0; i < a.layers(); i++) {
            AttentionLayout l = AttentionLayout.of(a, i);
            kv.add(permutation(l.kvHeads(), rng));
            long[][] w = new long[l.kvHeads()][];
            for (int g = 0; g < w.length; g++) w[g] = permutation(l.groupSize(), rng);
            within.add(w);
        }
        return new HeadPermutation(kv, within);
    }

    private static List<List<double[][]>> perKvHead(Architecture a, double kappa, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<List<double[][]>> out = new ArrayList<>();
        for (int i = 0; i < a.layers(); i++) {
            AttentionLayout l = AttentionLayout.of(a, i);
            List<double[][]> layer = new ArrayList<>();
            for (int g = 0; g < l.kvHeads(); g++) layer.add(Matrices.wellConditioned(l.headDim(), kappa, rng));
            out.add(layer);
        }
        return out;
    }

    private static double[] signedScales(int n, double spread, SplittableRandom rng) {
        double[] s = new double[n];
        double l = Math.log(spread);
        for (int i = 0; i < n; i++) s[i] = (l > 0 ? Math.exp(rng.nextDouble(-l, l)) : 1) * (rng.nextBoolean() ? 1 : -1);
        return s;
    }

    static long[] permutation(int n, SplittableRandom rng) {
        long[] p = new long[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            long t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
