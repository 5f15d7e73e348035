package dev.orbit.identity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.orbit.numeric.Matrices;
import dev.orbit.ops.Role;
import dev.orbit.symmetry.AttentionBlock;
import dev.orbit.symmetry.BlockTouch;
import dev.orbit.symmetry.LinearPair;
import dev.orbit.symmetry.NeuronSpace;
import dev.orbit.symmetry.ParamTouch;
import dev.orbit.symmetry.ResidualStream;
import dev.orbit.symmetry.SymmetryAnalysis;

/**
 * The linear map of a residual stream in closed form, before anything else of the element is known.
 *
 * <p>Every touch of the stream is a block X (rows: the parameter's other indices, columns: the stream) that a move
 * takes to T·X·M for a writer and T·X·M⁻ᵀ for a reader, where T is what the rest of the element does to the rows (a
 * permutation with scales, a head permutation with per-head GL(d)) and M the stream's map: a rotation Q (streams
 * read through norms), or a scaling followed by a rotation, D·Q (streams without norms, whose class also scales).
 * Blocks whose rows nothing else moves (T = I: the stream's first writers, its last readers, writer biases) give
 * X·M = Y directly. A block that reads the stream into a space and one that writes it back from the same space (or
 * the two sides of an attention pair, summed over heads) move their rows by T and T⁻ᵀ, so their product
 * P = X_inᵀ·X_out moves only with the stream: P → M⁻¹·P·M. So X·P is a writer block again and X·Pᵀ a reader block
 * ((X·M)·(M⁻¹·P·M) = (X·P)·M), and the direct blocks and their images under products of the P span the stream even
 * where the first writers and last readers alone do not (a 32-wide stream fed by 16 inputs and read by 10 outputs).
 *
 * <p>Nothing is stacked: with G = Σ XᵀX and C = Σ XᵀY over the blocks of a level, the next level is
 * G′ = Σ_P PᵀGP, C′ = Σ_P PᵀC·P_B (and likewise for readers); the least-squares M solves G_w·M + M·G_r = C_w + C_r
 * (a Sylvester equation with symmetric G, solved in their eigenbases), exact when the blocks span the stream.
 * Rotation-only streams have M⁻ᵀ = M: readers count as writers and images go both ways (X·P and X·Pᵀ), and Q is the
 * orthogonal polar factor of C (orthogonal Procrustes). A scaled stream's M = D·Q: D² = diag(M·Mᵀ), Q = polar(D⁻¹M)
 * (the class's permutation is inside Q). All in float64.
 */
final class StreamInvariants {
    /** Levels of images under the invariant products (the first writers and last readers are level 0). */
    static final int LEVELS = 4;
    /** The blocks span the stream when the smallest eigenvalue of the normal equations is at least this fraction of the largest. */
    static final double SPAN = 1e-8;
    /** An invariant product is used only when its spectral traces in B match A's this closely (relative to ‖P‖ᵏ). */
    static final double INVARIANT_MATCH = 1e-4;

    /**
     * The closed form: {@code scale} (null for a rotation-only stream) then {@code rotation} (x → x·D·Q, as the element
     * acts); {@code conditioning}: λ_min/λ_max of the normal equations; {@code products}: invariant products used.
     */
    record Estimate(double[] scale, double[][] rotation, double conditioning, int products) {}

    private StreamInvariants() {}

    /**
     * M with A·M ≈ B on the stream, or null when the blocks do not span the stream or nothing anchors it.
     *
     * @param direct  the stream's touches whose other axes nothing else moves
     * @param scaled  whether the stream's class also scales it (no norm reads it): M = D·Q, else M = Q
     * @param pairs   attention pairs whose per-head products are invariant (pairs of attentions with head factors
     *                outside GL(d), α_q·α_k ≠ 1, are left out: {@code scaledAttentions} pairs their heads instead)
     */
    static Estimate solve(SymmetryAnalysis analysis, ResidualStream s, List<BlockTouch> direct, boolean scaled, Map<String, Tensor64> mine,
                          Map<String, Tensor64> theirs, List<LinearPair> pairs, List<AttentionBlock> scaledAttentions) {
        int n = s.size();
        if (direct.isEmpty()) return null;
        java.util.Set<BlockTouch> readers = new java.util.HashSet<>(s.readers());
        // level 0: writer blocks (X·M = Y) and reader blocks (X·M⁻ᵀ = Y, i.e. M·Yᵀ = Xᵀ)
        double[][] gw = new double[n][n];
        double[][] cw = new double[n][n];
        double[][] gr = new double[n][n];
        double[][] cr = new double[n][n];
        for (BlockTouch t : direct) {
            double[][] x = mine.get(t.parameter()).block(t.axis(), t.offset(), n);
            double[][] y = theirs.get(t.parameter()).block(t.axis(), t.offset(), n);
            boolean reader = scaled && readers.contains(t);
            add(reader ? gr : gw, Matrices.multiply(Matrices.transpose(reader ? y : x), reader ? y : x));
            add(reader ? cr : cw, Matrices.multiply(Matrices.transpose(x), y));
        }
        double tr = trace(gw) + trace(gr);
        if (!(tr > 0)) return null;
        for (double[][] m : List.of(gw, cw, gr, cr)) scale(m, 1 / tr);
        List<double[][][]> products = products(analysis, s, mine, theirs, pairs, scaledAttentions, !scaled);
        double[][] gwSum = copy(gw);
        double[][] cwSum = copy(cw);
        double[][] grSum = copy(gr);
        double[][] crSum = copy(cr);
        for (int level = 1; level <= LEVELS && !products.isEmpty(); level++) {
            double[][] gw1 = new double[n][n];
            double[][] cw1 = new double[n][n];
            double[][] gr1 = new double[n][n];
            double[][] cr1 = new double[n][n];
            for (double[][][] m : products) {
                double[][] a = m[0];
                double[][] at = Matrices.transpose(a);
                double[][] b = m[1];
                double[][] bt = Matrices.transpose(b);
                // writer rows X·P (A) and Y·P_B (B); reader rows X·Pᵀ and Y·P_Bᵀ
                add(gw1, sandwich(at, gw, a));
                add(cw1, sandwich(at, cw, b));
                if (scaled) {
                    add(gr1, sandwich(b, gr, bt));
                    add(cr1, sandwich(a, cr, bt));
                } else {
                    // a rotation has M⁻ᵀ = M: every block is a writer block, and its images under Pᵀ are too
                    add(gw1, sandwich(a, gw, at));
                    add(cw1, sandwich(a, cw, bt));
                }
            }
            double t = trace(gw1) + trace(gr1);
            if (!(t > 0)) break;
            for (double[][] m : List.of(gw1, cw1, gr1, cr1)) scale(m, 1 / t);
            add(gwSum, gw1);
            add(cwSum, cw1);
            add(grSum, gr1);
            add(crSum, cr1);
            gw = gw1;
            cw = cw1;
            gr = gr1;
            cr = cr1;
        }
        Matrices.Eigen ew = Matrices.symmetricEigen(gwSum);
        if (!scaled) {
            double conditioning = ew.values()[n - 1] / ew.values()[0];
            if (!(conditioning >= SPAN)) return null;
            return new Estimate(null, SmallLinear.polar(cwSum), conditioning, products.size());
        }
        // G_w·M + M·G_r = C: in the eigenbases G_w = U·diag(α)·Uᵀ, G_r = V·diag(β)·Vᵀ, (UᵀMV)_ij = (UᵀCV)_ij / (α_i + β_j)
        Matrices.Eigen er = Matrices.symmetricEigen(grSum);
        double[][] c = copy(cwSum);
        add(c, crSum);
        double[][] u = ew.vectors();
        double[][] v = er.vectors();
        double[][] k = Matrices.multiply(Matrices.multiply(Matrices.transpose(u), c), v);
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double d = ew.values()[i] + er.values()[j];
                lo = Math.min(lo, d);
                hi = Math.max(hi, d);
                k[i][j] /= d;
            }
        }
        double conditioning = lo / hi;
        if (!(conditioning >= SPAN)) return null;
        double[][] m = Matrices.multiply(Matrices.multiply(u, k), Matrices.transpose(v));
        double[] d = new double[n];
        double[][] dm = new double[n][];
        for (int i = 0; i < n; i++) {
            d[i] = Math.sqrt(Tensor64.dot(m[i], m[i]));
            if (!(d[i] > 0)) return null;
            dm[i] = m[i].clone();
            for (int j = 0; j < n; j++) dm[i][j] /= d[i];
        }
        return new Estimate(d, SmallLinear.polar(dm), conditioning, products.size());
    }

    private static double[][] sandwich(double[][] a, double[][] g, double[][] b) { return Matrices.multiply(Matrices.multiply(a, g), b); }

    /**
     * The invariant products {P_A, P_B} of a stream, each scaled by 1/‖P_A‖ (both sides alike): per attention pair,
     * Σ over query heads of L_hᵀ·R_h (q·kᵀ, v·W_o) where both sides are stream touches; per attention whose heads take
     * factors outside GL(d), Σ_h (q_h·k_hᵀ)·(v_h·W_o,h) (the factor of the scores cancels the output's); per space
     * whose rows nothing but its own class and scale moves, X_inᵀ·X_out for each reader into it and writer out of it.
     */
    static List<double[][][]> products(SymmetryAnalysis analysis, ResidualStream s, Map<String, Tensor64> mine, Map<String, Tensor64> theirs,
                                       List<LinearPair> pairs, List<AttentionBlock> scaledAttentions, boolean orthogonal) {
        Map<String, BlockTouch> streamTouch = new HashMap<>();
        for (BlockTouch t : s.writers()) streamTouch.put(t.parameter(), t);
        for (BlockTouch t : s.readers()) streamTouch.put(t.parameter(), t);
        int n = s.size();
        List<double[][][]> out = new ArrayList<>();
        for (LinearPair p : pairs) {
            for (BlockTouch l : p.left()) {
                for (BlockTouch r : p.right()) {
                    double[][][] m = new double[2][][];
                    for (int side = 0; side < 2; side++) {
                        double[][][] heads = headProducts(side == 0 ? mine : theirs, streamTouch, p, l, r, n);
                        if (heads == null) break;
                        double[][] sum = new double[n][n];
                        for (double[][] h : heads) add(sum, h);
                        m[side] = sum;
                    }
                    if (m[1] != null) keep(out, m, orthogonal);
                }
            }
        }
        for (AttentionBlock b : scaledAttentions) {
            LinearPair qk = analysis.pairs().get(b.queryKey());
            LinearPair vo = analysis.pairs().get(b.valueOutput());
            if (qk.kvHeads() != qk.heads() || vo.kvHeads() != vo.heads()) continue;
            for (BlockTouch ql : qk.left()) for (BlockTouch kr : qk.right()) for (BlockTouch vl : vo.left()) for (BlockTouch or : vo.right()) {
                double[][][] m = new double[2][][];
                for (int side = 0; side < 2; side++) {
                    Map<String, Tensor64> w = side == 0 ? mine : theirs;
                    double[][][] scores = headProducts(w, streamTouch, qk, ql, kr, n);
                    double[][][] values = headProducts(w, streamTouch, vo, vl, or, n);
                    if (scores == null || values == null) break;
                    double[][] sum = new double[n][n];
                    for (int h = 0; h < scores.length; h++) add(sum, Matrices.multiply(scores[h], values[h]));
                    m[side] = sum;
                }
                if (m[1] != null) keep(out, m, orthogonal);
            }
        }
        for (NeuronSpace sp : analysis.spaces()) {
            if (!sp.isFree() || sp.permBlock() != 1 || sp.permTiles() != 1) continue;
            int size = Math.toIntExact(sp.size());
            List<ParamTouch> in = new ArrayList<>();
            List<ParamTouch> outT = new ArrayList<>();
            for (ParamTouch t : sp.touches()) {
                if (t.unit() != 1 || t.repeat() != 1 || !alone(analysis, sp, t)) continue;
                if (t.role() == Role.COVARIANT) in.add(t);
                else if (t.role() == Role.CONTRAVARIANT) outT.add(t);
            }
            for (ParamTouch ti : in) {
                for (ParamTouch to : outT) {
                    double[][][] m = new double[2][][];
                    for (int side = 0; side < 2; side++) {
                        Map<String, Tensor64> w = side == 0 ? mine : theirs;
                        double[][] xi = rows(w, streamTouch, new BlockTouch(ti.parameter(), ti.axis(), ti.offset()), n);
                        double[][] xo = rows(w, streamTouch, new BlockTouch(to.parameter(), to.axis(), to.offset()), n);
                        if (xi == null || xo == null) break;
                        double[][] sum = new double[n][n];
                        addProduct(sum, xi, 0, xo, 0, size);
                        m[side] = sum;
                    }
                    if (m[1] != null) keep(out, m, orthogonal);
                }
            }
        }
        return out;
    }

    /** Per query head h of a pair, L_hᵀ·R_h over the stream (null when a side is not a stream touch). */
    private static double[][][] headProducts(Map<String, Tensor64> w, Map<String, BlockTouch> streamTouch, LinearPair p, BlockTouch l, BlockTouch r, int n) {
        double[][] xl = rows(w, streamTouch, l, n);
        double[][] xr = rows(w, streamTouch, r, n);
        if (xl == null || xr == null) return null;
        int group = p.heads() / p.kvHeads();
        double[][][] out = new double[p.heads()][][];
        for (int h = 0; h < p.heads(); h++) {
            int hl = p.queryIndexed(true) ? h : h / group;
            int hr = p.queryIndexed(false) ? h : h / group;
            out[h] = new double[n][n];
            addProduct(out[h], xl, hl * p.headDim(), xr, hr * p.headDim(), p.headDim());
        }
        return out;
    }

    /**
     * The stream block of a 2-D parameter whose other axis {@code t} touches, rows from t's offset on; null when the
     * parameter is not a stream touch on its other axis.
     */
    private static double[][] rows(Map<String, Tensor64> w, Map<String, BlockTouch> streamTouch, BlockTouch t, int n) {
        BlockTouch st = streamTouch.get(t.parameter());
        Tensor64 x = w.get(t.parameter());
        if (st == null || x == null || x.rank() != 2 || st.axis() == t.axis()) return null;
        double[][] b = x.block(st.axis(), st.offset(), n);
        return java.util.Arrays.copyOfRange(b, Math.toIntExact(t.offset()), b.length);
    }

    /** Whether only {@code sp} (among spaces and pairs) moves the rows of {@code t}. */
    private static boolean alone(SymmetryAnalysis analysis, NeuronSpace sp, ParamTouch t) {
        long lo = t.offset();
        long hi = lo + sp.size();
        for (NeuronSpace o : analysis.spaces()) {
            if (o.id() == sp.id() || !o.isFree()) continue;
            for (ParamTouch u : o.touches()) {
                if (u.parameter().equals(t.parameter()) && u.axis() == t.axis() && u.offset() < hi && u.offset() + o.size() * u.repeat() > lo) return false;
            }
        }
        for (LinearPair p : analysis.pairs()) {
            for (BlockTouch u : p.left()) if (overlaps(u, t, lo, hi, p)) return false;
            for (BlockTouch u : p.right()) if (overlaps(u, t, lo, hi, p)) return false;
        }
        return true;
    }

    private static boolean overlaps(BlockTouch u, ParamTouch t, long lo, long hi, LinearPair p) {
        return u.parameter().equals(t.parameter()) && u.axis() == t.axis() && u.offset() < hi && u.offset() + (long) p.heads() * p.headDim() > lo;
    }

    /** sum += x[a .. a+k]ᵀ·y[b .. b+k] (rows). */
    private static void addProduct(double[][] sum, double[][] x, int a, double[][] y, int b, int k) {
        int n = sum.length;
        for (int r = 0; r < k; r++) {
            double[] xr = x[a + r];
            double[] yr = y[b + r];
            for (int i = 0; i < n; i++) {
                double v = xr[i];
                if (v == 0) continue;
                for (int j = 0; j < n; j++) sum[i][j] += v * yr[j];
            }
        }
    }

    /**
     * Keeps a product whose spectral traces tr(Pᵏ), k = 1..3, are the same in both models (a conjugation keeps them; a
     * product that is not invariant there differs), and for a rotation its norm too; scaled by 1/‖P_A‖ on both sides.
     */
    private static void keep(List<double[][][]> out, double[][][] m, boolean orthogonal) {
        double na = norm(m[0]);
        if (!(na > 0)) return;
        scale(m[0], 1 / na);
        scale(m[1], 1 / na);
        if (orthogonal && Math.abs(norm(m[1]) - 1) > INVARIANT_MATCH) return;
        double[][] pa = m[0];
        double[][] pb = m[1];
        for (int k = 1; k <= 3; k++) {
            if (Math.abs(trace(pa) - trace(pb)) > INVARIANT_MATCH) return;
            pa = Matrices.multiply(pa, m[0]);
            pb = Matrices.multiply(pb, m[1]);
        }
        out.add(m);
    }

    private static double norm(double[][] m) {
        double s = 0;
        for (double[] r : m) for (double v : r) s += v * v;
        return Math.sqrt(s);
    }

    private static double trace(double[][] m) {
        double t = 0;
        for (int i = 0; i < m.length; i++) t += m[i][i];
        return t;
    }

    private static void add(double[][] a, double[][] b) {
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a.length; j++) a[i][j] += b[i][j];
    }

    private static void scale(double[][] a, double f) {
        for (double[] r : a) for (int j = 0; j < r.length; j++) r[j] *= f;
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) c[i] = a[i].clone();
        return c;
    }
}
