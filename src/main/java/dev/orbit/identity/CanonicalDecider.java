package dev.orbit.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import dev.orbit.numeric.Matrices;
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
 * Decides each part by a rule that depends only on the orbit (the working copy's settled axes are already canonical):
 * <ul>
 *   <li>scale: the unit's settled incoming (covariant) slices get norm 1, or its outgoing ones when it has no settled
 *       incoming; where the sign is free (a linear space) the sum of cubes of the incoming slice is made positive;
 *       spaces whose scaling would need an activation rewrite keep τ = 1 (the rewrites were undone before);</li>
 *   <li>permutation: units sorted by three keys, projections of the unit-norm, sign-fixed slice on fixed pseudo-random
 *       directions; keys within {@link #TIE} (relative to the largest key) count as tied and the next key decides;
 *       units tied on all three (dead or duplicate units) keep their order and are counted;</li>
 *   <li>attention pair: per kv-head the basis in which q and k (v and o) are U·S^½ and V·S^½ of the SVD of L·Rᵀ
 *       (the invariant of GL(d)), singular vectors signed so the left column's sum of cubes is positive; heads sorted
 *       by singular values; under rotary embeddings per rotary plane the complex factor that balances |q| and |k|
 *       and makes Σ z_q² real positive;</li>
 *   <li>ReLU attention head factors: per head c = 1/‖L·Rᵀ‖_F (the GL(d)-invariant score product gets norm 1), split as
 *       √c on query and key (which keeps them balanced); the output rows take 1/c;</li>
 *   <li>stream rotation: the eigenbasis of XᵀX over the settled writers and readers, eigenvalues descending, signed
 *       like the pair columns; where the first writers and last readers do not span a rotation-only stream, up front,
 *       the eigenbasis of the invariant Gram of {@link StreamInvariants#invariant} instead; a stream without norms
 *       (its moves generate GL(n)) is whitened first ({@link StreamWhitening}), up front.</li>
 * </ul>
 */
final class CanonicalDecider implements Aligner.Decider {
    static final double TIE = 1e-6;
    int tiedUnits;
    int degenerateBases;

    private static boolean signFree(NeuronSpace s) { return s.scaling() == Scaling.NONZERO && s.regions().isEmpty(); }

    private static boolean rewriteFree(NeuronSpace s) { return s.regions().isEmpty() || s.exactWithoutRewrite(); }

    @Override
    public int[] permutation(Aligner a, int permClass, List<Aligner.Feature> features) {
        NeuronSpace first = a.spacesOf(permClass).getFirst();
        int m = Math.toIntExact(first.classSize());
        double[][] keys = new double[m][3];
        for (Aligner.Feature f : features) {
            NeuronSpace s = f.space();
            ParamTouch t = f.touch();
            Tensor64 w = a.work.get(t.parameter());
            int block = Math.toIntExact(s.permBlock());
            int len = Aligner.channel(w, t, 0).length;
            double[][] dirs = directions(len);
            for (int tile = 0; tile < s.permTiles(); tile++) {
                for (int i = 0; i < block; i++) {
                    for (int u = 0; u < m; u++) {
                        double[] x = Aligner.channel(w, t, (tile * m + u) * block + i);
                        double n = Math.sqrt(Tensor64.dot(x, x));
                        if (n == 0) continue;
                        double sign = signFree(s) && SmallLinear.cubes(x) < 0 ? -1 : 1;
                        for (int k = 0; k < 3; k++) keys[u][k] += sign * Tensor64.dot(dirs[k], x) / n;
                    }
                }
            }
        }
        return order(keys);
    }

    /** Units sorted by key 0; runs whose neighbours differ by ≤ TIE are re-sorted by the next key. */
    int[] order(double[][] keys) {
        int m = keys.length;
        Integer[] idx = new Integer[m];
        for (int i = 0; i < m; i++) idx[i] = i;
        double scale = 0;
        for (double[] k : keys) for (double v : k) scale = Math.max(scale, Math.abs(v));
        double tie = TIE * Math.max(scale, Double.MIN_NORMAL);
        sortRuns(idx, 0, m, 0, keys, tie);
        int[] p = new int[m];
        for (int i = 0; i < m; i++) p[i] = idx[i];
        return p;
    }

    private void sortRuns(Integer[] idx, int from, int to, int key, double[][] keys, double tie) {
        if (to - from < 2) return;
        if (key == keys[0].length) {
            tiedUnits += to - from;
            java.util.Arrays.sort(idx, from, to);
            return;
        }
        java.util.Arrays.sort(idx, from, to, (x, y) -> Double.compare(keys[x][key], keys[y][key]));
        int start = from;
        for (int i = from + 1; i <= to; i++) {
            if (i == to || keys[idx[i]][key] - keys[idx[i - 1]][key] > tie) {
                sortRuns(idx, start, i, key + 1, keys, tie);
                start = i;
            }
        }
    }

    private static double[][] directions(int len) {
        SplittableRandom rng = new SplittableRandom(0xCA70L * 31 + len);
        double[][] d = new double[3][len];
        for (double[] row : d) for (int i = 0; i < len; i++) row[i] = rng.nextDouble(-1, 1);
        return d;
    }

    @Override
    public double[] scale(Aligner a, NeuronSpace s, List<ParamTouch> usable) {
        int n = Math.toIntExact(s.size());
        double[] tau = Aligner.ones(n);
        if (!rewriteFree(s)) return tau;
        boolean anyIncoming = usable.stream().anyMatch(t -> t.role() == Role.COVARIANT);
        for (int c = 0; c < n; c++) {
            double norm = 0;
            double cubes = 0;
            for (ParamTouch t : usable) {
                if ((t.role() == Role.COVARIANT) != anyIncoming) continue;
                double[] x = Aligner.channel(a.work.get(t.parameter()), t, c);
                norm += Tensor64.dot(x, x);
                cubes += SmallLinear.cubes(x);
            }
            norm = Math.sqrt(norm);
            if (norm == 0) {
                a.deadUnits++;
                continue;
            }
            double f = anyIncoming ? 1 / norm : norm;
            if (signFree(s) && cubes < 0) f = -f;
            tau[c] = f;
        }
        return tau;
    }

    @Override
    public int[] headPermutation(Aligner a, int permClass, List<LinearPair> pairs) {
        int m = Math.toIntExact(a.spacesOf(permClass).getFirst().classSize());
        double[][] keys = new double[m][3];
        LinearPair p = pairs.stream().filter(x -> x.kvHeads() == m).findFirst().orElse(null);
        if (p == null) return order(keys);
        for (int g = 0; g < m; g++) {
            double[] sv = basis(a.work, p, g).singular;
            // ReLU attention: a head's product is known up to its positive factor, so only the spectrum's shape counts
            double norm = a.headScaled(p) ? Math.sqrt(Tensor64.dot(sv, sv)) : 1;
            if (norm == 0) norm = 1;
            for (int k = 0; k < 3 && k < sv.length; k++) keys[g][k] = -sv[k] / norm; // descending
        }
        return order(keys);
    }

    record Basis(double[][] a, double[] singular) {}

    /** A = W_L⁻¹·X·S^½ with W_L = (LᵀL)^½, X S Yᵀ the SVD of W_L·W_R. */
    Basis basis(Map<String, Tensor64> params, LinearPair p, int g) {
        double[][] l = Aligner.sideMatrix(params, p, true, g);
        double[][] r = Aligner.sideMatrix(params, p, false, g);
        int d = p.headDim();
        double[][][] wl = sqrtAndInverse(SmallLinear.gram(l));
        double[][][] wr = sqrtAndInverse(SmallLinear.gram(r));
        double[][] k = Matrices.multiply(wl[0], wr[0]);
        Matrices.Eigen e = Matrices.symmetricEigen(Matrices.multiply(k, Matrices.transpose(k)));
        double[] sv = new double[d];
        double[][] xs = new double[d][d];
        for (int j = 0; j < d; j++) {
            sv[j] = Math.sqrt(Math.max(0, e.values()[j]));
            if (j > 0 && sv[j - 1] - sv[j] <= TIE * sv[0]) degenerateBases++;
            for (int i = 0; i < d; i++) xs[i][j] = e.vectors()[i][j] * Math.sqrt(sv[j]);
        }
        if (!(sv[d - 1] > 1e-12 * sv[0])) {
            degenerateBases++; // L·Rᵀ has rank < d: no basis is determined; keep this head as it is
            return new Basis(Matrices.identity(d), sv);
        }
        double[][] a = Matrices.multiply(wl[1], xs);
        double[][] lc = Matrices.multiply(l, a);
        for (int j = 0; j < d; j++) {
            double cubes = 0;
            for (double[] row : lc) cubes += row[j] * row[j] * row[j];
            if (cubes < 0) for (double[] row : a) row[j] = -row[j];
        }
        return new Basis(a, sv);
    }

    /** {G^½, G^-½} of a symmetric positive definite matrix. */
    private static double[][][] sqrtAndInverse(double[][] g) {
        Matrices.Eigen e = Matrices.symmetricEigen(g);
        int n = g.length;
        double[][] s = new double[n][n];
        double[][] si = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double a = 0;
                double b = 0;
                for (int k = 0; k < n; k++) {
                    double v = Math.max(e.values()[k], 1e-300);
                    double vv = e.vectors()[i][k] * e.vectors()[j][k];
                    a += vv * Math.sqrt(v);
                    b += vv / Math.sqrt(v);
                }
                s[i][j] = a;
                si[i][j] = b;
            }
        }
        return new double[][][] {s, si};
    }

    @Override
    public double[][] pairBlock(Aligner a, LinearPair p, int kvHead) {
        if (Boolean.getBoolean("orbit.debug.nopairs")) return Matrices.identity(p.headDim());
        if (p.group() == LinearPair.Group.ROPE_COMMUTANT) return rotary(a, p, kvHead);
        return basis(a.work, p, kvHead).a;
    }

    /** Per rotary plane the complex c with |c|² = |z_k|/|z_q| and c²·Σz_q² real positive (sign by the sum of cubes). */
    private static double[][] rotary(Aligner al, LinearPair p, int g) {
        double[][] l = Aligner.sideMatrix(al.work, p, true, g);
        double[][] r = Aligner.sideMatrix(al.work, p, false, g);
        int d = p.headDim();
        int h = d / 2;
        double[][] m = new double[d][d];
        for (int i = 0; i < h; i++) {
            double nq = 0;
            double nk = 0;
            double sRe = 0;
            double sIm = 0;
            for (double[] row : l) {
                nq += row[i] * row[i] + row[i + h] * row[i + h];
                sRe += row[i] * row[i] - row[i + h] * row[i + h];
                sIm += 2 * row[i] * row[i + h];
            }
            for (double[] row : r) nk += row[i] * row[i] + row[i + h] * row[i + h];
            double mag = nq == 0 || nk == 0 ? 1 : Math.pow(nk / nq, 0.25);
            double phi = -0.5 * Math.atan2(sIm, sRe);
            double cubes = 0;
            for (double[] row : l) {
                double re = Math.cos(phi) * row[i] - Math.sin(phi) * row[i + h];
                cubes += re * re * re;
            }
            if (cubes < 0) phi += Math.PI;
            double a = mag * Math.cos(phi);
            double b = mag * Math.sin(phi);
            m[i][i] = a;
            m[i][i + h] = b;
            m[i + h][i] = -b;
            m[i + h][i + h] = a;
        }
        return m;
    }

    @Override
    public double[][] rotation(Aligner a, ResidualStream s, List<BlockTouch> usable) {
        int n = s.size();
        List<double[]> rows = new ArrayList<>();
        for (BlockTouch t : usable) for (double[] r : a.work.get(t.parameter()).block(t.axis(), t.offset(), n)) rows.add(r);
        double[][] x = rows.toArray(new double[0][]);
        return eigenbasis(SmallLinear.gram(x), x);
    }

    /**
     * A rotation-only stream whose first writers and last readers do not span it: the eigenbasis of the invariant Gram
     * of {@link StreamInvariants#invariant} (the direct rows and their images under the invariant products), signed by
     * the cubes of those rows' levels 0 and 1. A stream whose own space scales (no norm reads
     * it) goes to {@link #general}. Null (the stream then waits for its settled touches, as before) when the direct rows
     * span it, it is wider than {@link MatchDecider#CLOSED_FORM_WIDTH}, or the invariant rows do not span it.
     */
    @Override
    public Aligner.StreamMove rotationUpFront(Aligner a, ResidualStream s, List<BlockTouch> direct) {
        List<NeuronSpace> scaled = a.streamSpaces(s).stream().filter(sp -> sp.scaling() != Scaling.NONE).toList();
        if (!scaled.isEmpty()) return general(a, s, direct, scaled);
        if (a.rows(direct) >= s.size() || s.size() > MatchDecider.CLOSED_FORM_WIDTH) return null;
        StreamInvariants.Invariant inv = StreamInvariants.invariant(a.analysis, s, direct, a.work, a.invariantPairs(), a.scaledAttentions());
        if (inv == null || !(inv.conditioning() >= StreamInvariants.SPAN)) return null;
        return new Aligner.StreamMove(null, null, eigenbasis(inv.gram(), inv.rows()));
    }

    /**
     * A stream whose own space scales (no norm reads it): its moves generate GL(n), so the map is the whitening W of
     * {@link StreamWhitening} then the eigenbasis E of the rotation invariant in the whitened frame (from the direct rows
     * of the side not whitened and their images under the products): writers M = W·E,
     * readers M⁻ᵀ, made of moves the element has as M = U·Σ·Q (a rotation applied before the element, the stream
     * space's scale Σ, a rotation). Null (not canonicalised) when the space is
     * not alone, the stream is wider than {@link MatchDecider#CLOSED_FORM_WIDTH}, or the rows do not span it.
     */
    private Aligner.StreamMove general(Aligner a, ResidualStream s, List<BlockTouch> direct, List<NeuronSpace> scaled) {
        if (scaled.size() != 1 || s.size() > MatchDecider.CLOSED_FORM_WIDTH || Boolean.getBoolean("orbit.debug.nowhitening")) return null;
        StreamWhitening.Whitening w = StreamWhitening.whitening(a.analysis, s, direct, a.work, a.invariantPairs(), a.scaledAttentions());
        if (w == null) return null;
        var whitened = StreamWhitening.moved(a.work, s, w);
        // the whitened side's rows add up to I by construction and tell nothing about the rotation left: the other side's
        // direct rows and their images only (with both, relu_attention's two smallest eigenvalues met within 4.5e-7·λ_max)
        List<BlockTouch> other = direct.stream().filter(t -> w.byReaders() != s.readers().contains(t)).toList();
        StreamInvariants.Invariant inv = StreamInvariants.invariant(a.analysis, s, other, whitened, a.invariantPairs(), a.scaledAttentions());
        if (inv == null || !(inv.conditioning() >= StreamInvariants.SPAN)) return null;
        double[][] m = Matrices.multiply(w.writers(), eigenbasis(inv.gram(), inv.rows()));
        // M = U·Σ·Q (M·Mᵀ = U·Σ²·Uᵀ, Q = Σ⁻¹·Uᵀ·M): a rotation, the stream space's scale, a rotation
        Matrices.Eigen mm = Matrices.symmetricEigen(Matrices.multiply(m, Matrices.transpose(m)));
        double[][] u = mm.vectors();
        int n = s.size();
        double[] sigma = new double[n];
        for (int i = 0; i < n; i++) sigma[i] = Math.sqrt(mm.values()[i]);
        double[][] q = Matrices.multiply(Matrices.transpose(u), m);
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) q[i][j] /= sigma[i];
        // one Newton step of the polar iteration, (Q + Q⁻ᵀ)/2, takes Q's rounding (≈ ε·cond M) to ≈ ε
        double[][] qit = Matrices.transpose(Matrices.inverse(q));
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) q[i][j] = 0.5 * (q[i][j] + qit[i][j]);
        return new Aligner.StreamMove(u, scaled.getFirst(), sigma, q);
    }

    /**
     * The eigenvectors of a Gram G (which a rotation Q takes to Qᵀ·G·Q), eigenvalues descending, each signed so that
     * the sum of cubes of the rows' projections on it is positive; (near-)equal eigenvalues and vanishing cube sums
     * (within {@link #TIE}) count as degenerate.
     */
    private double[][] eigenbasis(double[][] gram, double[][] x) {
        int n = gram.length;
        Matrices.Eigen e = Matrices.symmetricEigen(gram);
        double[][] q = e.vectors();
        for (int j = 0; j < n; j++) {
            if (j > 0 && e.values()[j - 1] - e.values()[j] <= TIE * Math.abs(e.values()[0])) degenerateBases++;
            double cubes = 0;
            double size = 0;
            for (double[] row : x) {
                double v = 0;
                for (int i = 0; i < n; i++) v += row[i] * q[i][j];
                cubes += v * v * v;
                size += Math.abs(v * v * v);
            }
            if (!(Math.abs(cubes) > TIE * size)) degenerateBases++;
            if (cubes < 0) for (double[] row : q) row[j] = -row[j];
        }
        return q;
    }

    @Override
    public HeadScaling headScaling(Aligner a, AttentionBlock b, LinearPair qk) {
        double[] f = Aligner.ones(b.heads());
        for (int h = 0; h < f.length; h++) {
            // ‖L·Rᵀ‖²_F = tr(LᵀL·RᵀR): from d×d Gram matrices
            double[][] gl = SmallLinear.gram(Aligner.sideMatrix(a.work, qk, true, h));
            double[][] gr = SmallLinear.gram(Aligner.sideMatrix(a.work, qk, false, h));
            double sq = 0;
            for (int i = 0; i < gl.length; i++) for (int j = 0; j < gl.length; j++) sq += gl[i][j] * gr[i][j];
            if (sq > 0 && Double.isFinite(sq)) f[h] = Math.pow(sq, -0.25);
        }
        return new HeadScaling(b.id(), f, f.clone(), Aligner.ones(b.heads()));
    }
}
