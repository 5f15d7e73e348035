package dev.orbit.identity;

import java.util.List;
import java.util.Map;

import dev.orbit.numeric.Assignment;
import dev.orbit.numeric.CostMatrix;
import dev.orbit.numeric.LinearAssignment;
import dev.orbit.numeric.Matrices;
import dev.orbit.symmetry.AttentionBlock;
import dev.orbit.symmetry.BlockTouch;
import dev.orbit.symmetry.HeadScaling;
import dev.orbit.symmetry.LinearPair;
import dev.orbit.symmetry.NeuronSpace;
import dev.orbit.symmetry.ParamTouch;
import dev.orbit.symmetry.ResidualStream;

/**
 * The decider alignment runs for its first pass (the sequential resolution of {@link Aligner}, in dependency order):
 * both models already sit at their balanced points, so it keeps scales at 1 and chooses
 * <ul>
 *   <li>units by weight matching: a linear assignment maximising Σ ⟨target slice, working slice⟩ over the settled
 *       slices of the class (raw inner products, the objective of git re-basin's weight matching) — or, when
 *       activation matching gave the class a permutation, that one;</li>
 *   <li>heads by {@link MatchDecider}'s column-space test (GL(d) keeps a head's column space);</li>
 *   <li>a pair's GL(d) block by balancing, then Procrustes: each side of the head is brought to its balanced basis
 *       (query and key — value and output — factors U·S^½ and V·S^½ of the SVD of L·Rᵀ, {@link CanonicalDecider}),
 *       which fixes the head up to an orthogonal matrix; that O(d) part is the orthogonal Procrustes solution over
 *       both sides. Rotary pairs keep {@link MatchDecider}'s least squares on the commutant.</li>
 * </ul>
 */
final class AlignmentDecider implements Aligner.Decider {
    private final Map<String, Tensor64> target;
    private final MatchDecider match;
    private final Map<Integer, int[]> given;
    private final boolean single;
    double productSeconds;
    double solverSeconds;
    /**
     * Per class, the column duals of its last assignment, carried along with the permutation that placed it: the
     * next solve of the class (the coordinate descent re-solves each class every sweep, on a matrix that its
     * neighbours' moves changed only in part) starts from them and needs few searches.
     */
    private final Map<Integer, double[]> lastDuals = new java.util.HashMap<>();
    /** Similarities kept between solves and updated where the neighbours moved units. */
    final IncrementalSimilarity similarity;

    AlignmentDecider(Map<String, Tensor64> target, Map<Integer, int[]> given, boolean single) {
        this.target = target;
        this.match = new MatchDecider(target);
        this.given = given;
        this.single = single;
        this.similarity = new IncrementalSimilarity(single);
    }

    @Override
    public int[] permutation(Aligner a, int permClass, List<Aligner.Feature> features) {
        int[] p = given.get(permClass);
        if (p != null) return p;
        return assign(a.work, permClass, a.spacesOf(permClass).getFirst(), features);
    }

    /** The weight-matching assignment of one class over {@code features}: entry j = the working unit that becomes unit j. */
    int[] assign(Map<String, Tensor64> work, int permClass, NeuronSpace first, List<Aligner.Feature> features) {
        int m = Math.toIntExact(first.classSize());
        long t0 = System.nanoTime();
        List<IncrementalSimilarity.Slices> slices = new java.util.ArrayList<>();
        for (Aligner.Feature f : features) {
            NeuronSpace s = f.space();
            ParamTouch t = f.touch();
            int block = Math.toIntExact(s.permBlock());
            for (int tile = 0; tile < s.permTiles(); tile++) {
                for (int i = 0; i < block; i++) {
                    int[] channels = new int[m];
                    for (int u = 0; u < m; u++) channels[u] = (tile * m + u) * block + i;
                    double[] x = rows(target.get(t.parameter()), t, channels);
                    double[] y = rows(work.get(t.parameter()), t, channels);
                    String key = s.id() + "#" + t.parameter() + "#" + t.axis() + "#" + t.offset() + "#" + tile + "#" + i;
                    slices.add(new IncrementalSimilarity.Slices(key, x, y, x.length / m));
                }
            }
        }
        double[] sim = similarity.similarity(permClass, m, slices);
        long t1 = System.nanoTime();
        double[] start = lastDuals.get(permClass);
        CostMatrix costs = CostMatrix.of(sim, m, m);
        Assignment solved = start != null ? LinearAssignment.maximize(costs, start) : LinearAssignment.maximize(costs);
        int[] p = solved.columnOfRow();
        // the caller places p: working unit p[j] becomes unit j, and its dual goes with it
        double[] duals = new double[m];
        for (int j = 0; j < m; j++) duals[j] = solved.columnDuals()[p[j]];
        lastDuals.put(permClass, duals);
        similarity.placed(permClass, p);
        productSeconds += (t1 - t0) / 1e9;
        solverSeconds += (System.nanoTime() - t1) / 1e9;
        return p;
    }

    /** The slices of {@code channels} under one touch, one row each. */
    static double[] rows(Tensor64 w, ParamTouch t, int[] channels) {
        return w.channelRows(t.axis(), t.offset(), t.repeat(), channels);
    }

    @Override
    public double[] scale(Aligner a, NeuronSpace s, List<ParamTouch> usable) { return Aligner.ones(s.size()); }

    @Override
    public int[] headPermutation(Aligner a, int permClass, List<LinearPair> pairs) { return match.headPermutation(a, permClass, pairs); }

    @Override
    public double[][] pairBlock(Aligner a, LinearPair p, int kvHead) {
        if (p.group() == LinearPair.Group.ROPE_COMMUTANT) return match.pairBlock(a, p, kvHead);
        CanonicalDecider canonical = new CanonicalDecider();
        double[][] xb = canonical.basis(a.work, p, kvHead).a();
        double[][] xa = canonical.basis(target, p, kvHead).a();
        double[][] m = new double[p.headDim()][p.headDim()];
        for (boolean left : new boolean[] {true, false}) {
            double[][] fb = left ? xb : Matrices.transpose(Matrices.inverse(xb));
            double[][] fa = left ? xa : Matrices.transpose(Matrices.inverse(xa));
            double[][] lb = Matrices.multiply(Aligner.sideMatrix(a.work, p, left, kvHead), fb);
            double[][] la = Matrices.multiply(Aligner.sideMatrix(target, p, left, kvHead), fa);
            double[][] c = Matrices.multiply(Matrices.transpose(lb), la);
            for (int i = 0; i < m.length; i++) for (int j = 0; j < m.length; j++) m[i][j] += c[i][j];
        }
        // L_B·X_B·Q ≈ L_A·X_A, so the block that takes B's head to A's is X_B·Q·X_A⁻¹
        return Matrices.multiply(Matrices.multiply(xb, SmallLinear.polar(m)), Matrices.inverse(xa));
    }

    @Override
    public double[][] rotation(Aligner a, ResidualStream s, List<BlockTouch> usable) { return match.rotation(a, s, usable); }

    @Override
    public HeadScaling headScaling(Aligner a, AttentionBlock b, LinearPair qk) { return match.headScaling(a, b, qk); }
}
