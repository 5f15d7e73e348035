package dev.orbit.identity;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import dev.orbit.numeric.LinearAssignment;
import dev.orbit.ops.Role;
import dev.orbit.symmetry.AttentionBlock;
import dev.orbit.symmetry.BlockTouch;
import dev.orbit.symmetry.HeadScaling;
import dev.orbit.symmetry.LinearPair;
import dev.orbit.symmetry.NeuronSpace;
import dev.orbit.symmetry.ParamTouch;
import dev.orbit.symmetry.ResidualStream;
import dev.orbit.symmetry.Scaling;

/**
 * Decides each part by matching the working copy against a target model's parameters: units by a linear assignment
 * on scale-invariant similarities (cosines of their slices; absolute cosines where negative factors are allowed),
 * scales by least squares on the unit's largest slice, heads by how far one head's block lies outside the other's
 * column space (GL(d) keeps it), pair matrices and rotations by least squares and orthogonal Procrustes.
 */
final class MatchDecider implements Aligner.Decider {
    private final Map<String, Tensor64> target;

    private final Map<Integer, double[][]> rotations;

    MatchDecider(Map<String, Tensor64> target) { this(target, Map.of()); }

    /** With rotations already estimated for some streams (a refinement pass). */
    MatchDecider(Map<String, Tensor64> target, Map<Integer, double[][]> rotations) {
        this.target = target;
        this.rotations = rotations;
    }

    /** The correction polar(Σ XᵀY) over every writer and reader of a stream in the working copy (after a full pass). */
    double[][] correction(Aligner a, ResidualStream s) {
        List<BlockTouch> all = new java.util.ArrayList<>(s.writers());
        all.addAll(s.readers());
        return procrustes(a, s, all);
    }

    @Override
    public int[] permutation(Aligner a, int permClass, List<Aligner.Feature> features) {
        NeuronSpace first = a.spacesOf(permClass).getFirst();
        int m = Math.toIntExact(first.classSize());
        double[] sim = new double[m * m];
        for (Aligner.Feature f : features) {
            NeuronSpace s = f.space();
            ParamTouch t = f.touch();
            boolean signFree = s.scaling() == Scaling.NONZERO;
            Tensor64 mine = a.work.get(t.parameter());
            Tensor64 theirs = target.get(t.parameter());
            int block = Math.toIntExact(s.permBlock());
            for (int tile = 0; tile < s.permTiles(); tile++) {
                for (int i = 0; i < block; i++) {
                    int tl = tile;
                    int ii = i;
                    int[] channels = IntStream.range(0, m).map(u -> (tl * m + u) * block + ii).toArray();
                    double[][] x = sketches(mine, t, channels);
                    double[][] y = sketches(theirs, t, channels);
                    IntStream.range(0, m).parallel().forEach(r -> {
                        for (int c = 0; c < m; c++) {
                            double cos = Tensor64.dot(y[r], x[c]);
                            sim[r * m + c] += signFree ? Math.abs(cos) : cos;
                        }
                    });
                }
            }
        }
        return LinearAssignment.maximize(sim, m, m).columnOfRow();
    }

    private static double[][] sketches(Tensor64 w, ParamTouch t, int[] channels) {
        int len = Aligner.channel(w, t, 0).length;
        Sketch sk = new Sketch(len);
        double[][] out = new double[channels.length][];
        IntStream.range(0, channels.length).parallel().forEach(i -> out[i] = sk.unit(Aligner.channel(w, t, channels[i])));
        return out;
    }

    @Override
    public double[] scale(Aligner a, NeuronSpace s, List<ParamTouch> usable) {
        int n = Math.toIntExact(s.size());
        double[] tau = new double[n];
        IntStream.range(0, n).parallel().forEach(c -> {
            double best = -1;
            double factor = 1;
            for (ParamTouch t : usable) {
                double[] x = Aligner.channel(a.work.get(t.parameter()), t, c);
                double[] y = Aligner.channel(target.get(t.parameter()), t, c);
                double xx = Tensor64.dot(x, x);
                if (xx <= best || xx == 0) continue;
                double xy = Tensor64.dot(x, y);
                double yy = Tensor64.dot(y, y);
                // a poor fit (unrelated units) takes the ratio of norms, so that distances stay comparable
                double r = Math.abs(xy) >= 0.5 * Math.sqrt(xx * yy) ? xy / xx : Math.copySign(Math.sqrt(yy / xx), xy);
                best = xx;
                factor = t.role() == Role.COVARIANT ? r : 1 / r;
            }
            if (best <= 0 || !Double.isFinite(factor) || factor == 0) factor = 1;
            if (s.scaling() == Scaling.POSITIVE) factor = Math.abs(factor);
            tau[c] = factor;
        });
        return tau;
    }

    @Override
    public int[] headPermutation(Aligner a, int permClass, List<LinearPair> pairs) {
        int m = Math.toIntExact(a.spacesOf(permClass).getFirst().classSize());
        double[] cost = new double[m * m];
        for (LinearPair p : pairs) {
            if (p.kvHeads() != m) continue;
            for (boolean left : new boolean[] {true, false}) {
                double[][][] basis = new double[m][][];
                for (int h = 0; h < m; h++) basis[h] = SmallLinear.orthonormalColumns(Aligner.sideMatrix(a.work, p, left, h));
                for (int g = 0; g < m; g++) {
                    double[][] x = Aligner.sideMatrix(target, p, left, g);
                    for (int h = 0; h < m; h++) cost[g * m + h] += SmallLinear.outsideSpan(basis[h], x);
                }
            }
        }
        return LinearAssignment.minimize(cost, m, m).columnOfRow();
    }

    @Override
    public double[][] pairBlock(Aligner a, LinearPair p, int kvHead) {
        double[][] l = Aligner.sideMatrix(a.work, p, true, kvHead);
        double[][] r = Aligner.sideMatrix(target, p, true, kvHead);
        double[][] x = SmallLinear.leastSquares(l, r);
        return p.group() == LinearPair.Group.ROPE_COMMUTANT ? SmallLinear.rotaryProjection(x) : x;
    }

    /**
     * Per head, the factor c that takes the working key block (after the query-side fit, which absorbed α_q) to the
     * target's, by least squares; a fit that is not positive (unrelated heads) keeps 1.
     */
    @Override
    public HeadScaling headScaling(Aligner a, AttentionBlock b, LinearPair qk) {
        double[] ones = Aligner.ones(b.heads());
        double[] c = Aligner.ones(b.heads());
        for (int h = 0; h < c.length; h++) {
            double[][] x = Aligner.sideMatrix(a.work, qk, false, h);
            double[][] y = Aligner.sideMatrix(target, qk, false, h);
            double xy = 0;
            double xx = 0;
            for (int r = 0; r < x.length; r++) {
                xy += Tensor64.dot(x[r], y[r]);
                xx += Tensor64.dot(x[r], x[r]);
            }
            double f = xy / xx;
            if (f > 0 && Double.isFinite(f)) c[h] = f;
        }
        return new HeadScaling(b.id(), ones, c, ones.clone());
    }

    @Override
    public double[][] rotation(Aligner a, ResidualStream s, List<BlockTouch> usable) {
        double[][] known = rotations.get(s.id());
        return known != null ? known : procrustes(a, s, usable);
    }

    private double[][] procrustes(Aligner a, ResidualStream s, List<BlockTouch> usable) {
        int n = s.size();
        double[][] m = new double[n][n];
        for (BlockTouch t : usable) {
            double[][] x = a.work.get(t.parameter()).block(t.axis(), t.offset(), n);
            double[][] y = target.get(t.parameter()).block(t.axis(), t.offset(), n);
            for (int r = 0; r < x.length; r++) {
                for (int i = 0; i < n; i++) {
                    double xi = x[r][i];
                    if (xi == 0) continue;
                    for (int j = 0; j < n; j++) m[i][j] += xi * y[r][j];
                }
            }
        }
        return SmallLinear.polar(m);
    }
}
