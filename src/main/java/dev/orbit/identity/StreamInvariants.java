package dev.orbit.identity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * read through norms), or a scaling followed by a rotation, D·Q (streams without norms, whose own space scales).
 * Blocks whose rows nothing else moves (T = I: the stream's first writers, its last readers, writer biases) give
 * X·M = Y (writers) or X·M⁻ᵀ = Y (readers) directly. Two blocks whose rows move by T and T⁻ᵀ — a block that reads the
 * stream into a space and one that writes it back from the same space, or the two sides of an attention pair summed
 * over heads — have a product P = X₁ᵀ·X₂ that moves only with the stream, by the two blocks' factors: M⁻¹·P·M (reader,
 * writer: the value–output product, an MLP), M⁻¹·P·M⁻ᵀ (two readers: query–key). So direct rows times P are direct
 * rows again wherever the factors cancel ((X·M)·(M⁻¹·P·M) = (X·P)·M): the direct blocks and their images under the
 * products span the stream even where the first writers and last readers alone do not (a 32-wide stream fed by 16
 * inputs and read by 10 outputs).
 *
 * <p>Nothing is stacked: a set of rows is kept as G_A = ΣXᵀX, G_B = ΣYᵀY and C = ΣXᵀY, and rows times P become
 * PᵀG_A·P, P_BᵀG_B·P_B, PᵀC·P_B. The least-squares M solves G_A^w·M + M·G_B^r = C^w + C^r (writer rows X·M = Y, reader
 * rows M·Yᵀ = Xᵀ; a Sylvester equation with symmetric coefficients, solved in their eigenbases), exact when the rows
 * span the stream. A rotation has M⁻ᵀ = M: every row is a writer row, every product maps them both ways (X·P, X·Pᵀ),
 * and Q is the orthogonal polar factor of C (orthogonal Procrustes). A scaled stream's M = D·Q: from the split
 * D² = diag(M·Mᵀ), Q = polar(D⁻¹·M) (the class's permutation is inside Q), D·Q is fitted to the rows themselves
 * ({@link ScaledRotationFit}). All in float64; the estimate is kept only when it explains
 * every row it was built from to {@link #CONSISTENT} (else B is not an exact copy, or a product was not invariant).
 */
final class StreamInvariants {
    /** Levels of images under the invariant products (the direct blocks are level 0). */
    static final int LEVELS = 4;
    /** The rows span the stream when the normal equations' smallest eigenvalue is at least this fraction of the largest. */
    static final double SPAN = 1e-8;
    /**
     * The estimate's relative residual over all the rows it was fitted to, at most: float32 weights leave ≈ 1e-7; an
     * unrelated or perturbed copy, or a product that is not invariant, leaves ≥ 1e-3.
     */
    static final double CONSISTENT = 1e-5;
    /** A rotation-only stream keeps a product only when ‖P_B‖ and tr(P_Bᵏ), k ≤ 3, match A's this closely (relative to ‖P_A‖ᵏ). */
    static final double INVARIANT_MATCH = 1e-4;

    /**
     * The closed form: {@code scale} (null for a rotation-only stream) then {@code rotation} (x → x·D·Q, as the element
     * acts); {@code conditioning}: λ_min/λ_max of the normal equations; {@code residual}: the relative residual of the
     * fit; {@code products}: invariant products used.
     */
    record Estimate(double[] scale, double[][] rotation, double conditioning, double residual, int products) {}

    /**
     * An invariant product of the two models, with the stream factors on its two sides: {@code leftReader} — M⁻¹ on
     * the left (else Mᵀ); {@code rightWriter} — M on the right (else M⁻ᵀ).
     */
    record Product(double[][] a, double[][] b, boolean leftReader, boolean rightWriter) {
        Product transposed() { return new Product(Matrices.transpose(a), Matrices.transpose(b), !rightWriter, !leftReader); }

        /** this·next, defined when the factors between them cancel (M·M⁻¹ or M⁻ᵀ·Mᵀ). */
        Product then(Product next) {
            if (rightWriter != next.leftReader) return null;
            return new Product(Matrices.multiply(a, next.a), Matrices.multiply(b, next.b), leftReader, next.rightWriter);
        }
    }

    /** Rows X of A and Y of B with X·N = Y, kept as G_A = ΣXᵀX, G_B = ΣYᵀY, C = ΣXᵀY. */
    private record Rows(double[][] ga, double[][] gb, double[][] c) {
        static Rows empty(int n) { return new Rows(new double[n][n], new double[n][n], new double[n][n]); }

        void add(double[][] x, double[][] y) {
            StreamInvariants.add(ga, Matrices.multiply(Matrices.transpose(x), x));
            StreamInvariants.add(gb, Matrices.multiply(Matrices.transpose(y), y));
            StreamInvariants.add(c, Matrices.multiply(Matrices.transpose(x), y));
        }

        /** Adds the rows X·P_A, Y·P_B. */
        void addTimes(Rows r, double[][] pa, double[][] pb) {
            double[][] pat = Matrices.transpose(pa);
            double[][] pbt = Matrices.transpose(pb);
            StreamInvariants.add(ga, sandwich(pat, r.ga, pa));
            StreamInvariants.add(gb, sandwich(pbt, r.gb, pb));
            StreamInvariants.add(c, sandwich(pat, r.c, pb));
        }

        void addAll(Rows r, double f) {
            for (int i = 0; i < ga.length; i++) {
                for (int j = 0; j < ga.length; j++) {
                    ga[i][j] += f * r.ga[i][j];
                    gb[i][j] += f * r.gb[i][j];
                    c[i][j] += f * r.c[i][j];
                }
            }
        }

        void scale(double f) {
            StreamInvariants.scale(ga, f);
            StreamInvariants.scale(gb, f);
            StreamInvariants.scale(c, f);
        }
    }

    private StreamInvariants() {}

    /**
     * M with A·M ≈ B on the stream, or null when the rows do not span the stream, nothing anchors it, or the fit is not
     * exact.
     *
     * @param direct  the stream's touches whose other axes nothing else moves
     * @param scaled  whether the stream's own space also scales it (no norm reads it): M = D·Q, else M = Q
     * @param pairs   attention pairs whose per-head products are invariant (pairs of attentions whose heads take
     *                factors outside GL(d), α_q·α_k ≠ 1, are left out: {@code scaledAttentions} pairs their heads)
     */
    static Estimate solve(SymmetryAnalysis analysis, ResidualStream s, List<BlockTouch> direct, boolean scaled, Map<String, Tensor64> mine,
                          Map<String, Tensor64> theirs, List<LinearPair> pairs, List<AttentionBlock> scaledAttentions) {
        if (direct.isEmpty()) return null;
        int n = s.size();
        List<Product> products = products(analysis, s, mine, theirs, pairs, scaledAttentions, !scaled);
        Levels levels = levels(s, direct, scaled, mine, theirs, products);
        if (levels == null) return null;
        Rows wSum = levels.writers();
        Rows rSum = levels.readers();
        Matrices.Eigen ew = Matrices.symmetricEigen(wSum.ga());
        if (!scaled) {
            double conditioning = ew.values()[n - 1] / ew.values()[0];
            if (!(conditioning >= SPAN)) return null;
            double[][] q = SmallLinear.polar(wSum.c());
            double residual = residual(wSum, rSum, q);
            return residual <= CONSISTENT ? new Estimate(null, q, conditioning, residual, products.size()) : null;
        }
        // G_w·M + M·G_r = C: in the eigenbases G_w = U·diag(α)·Uᵀ, G_r = V·diag(β)·Vᵀ, (UᵀMV)_ij = (UᵀCV)_ij / (α_i + β_j)
        Matrices.Eigen er = Matrices.symmetricEigen(rSum.gb());
        double[][] c = copy(wSum.c());
        add(c, rSum.c());
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
        Estimate split = split(Matrices.multiply(Matrices.multiply(u, k), Matrices.transpose(v)));
        if (split == null) return null;
        // the split is a start only: on poorly spread rows it moves M along directions they pin (ScaledRotationFit)
        ScaledRotationFit.Fit fit = ScaledRotationFit.refine(new ScaledRotationFit.Fit(split.scale(), split.rotation()), wSum.ga(), rSum.gb(), c,
                trace(wSum.gb()) + trace(rSum.ga()));
        double residual = residual(wSum, rSum, scaledRows(fit.scale(), fit.rotation()));
        return residual <= CONSISTENT ? new Estimate(fit.scale(), fit.rotation(), conditioning, residual, products.size()) : null;
    }

    /** Every level's rows (direct blocks, then their images under the products), each level normalised, summed. */
    private record Levels(Rows writers, Rows readers) {}

    /** The rows the fit uses; null when the direct blocks are all zero. */
    private static Levels levels(ResidualStream s, List<BlockTouch> direct, boolean scaled, Map<String, Tensor64> mine,
                                 Map<String, Tensor64> theirs, List<Product> products) {
        int n = s.size();
        Set<BlockTouch> readers = new HashSet<>(s.readers());
        Rows writerRows = Rows.empty(n);
        Rows readerRows = Rows.empty(n);
        for (BlockTouch t : direct) {
            double[][] x = mine.get(t.parameter()).block(t.axis(), t.offset(), n);
            double[][] y = theirs.get(t.parameter()).block(t.axis(), t.offset(), n);
            (scaled && readers.contains(t) ? readerRows : writerRows).add(x, y);
        }
        Rows w = normalised(writerRows, readerRows);
        Rows r = readerRows;
        if (w == null) return null;
        Rows wSum = Rows.empty(n);
        Rows rSum = Rows.empty(n);
        wSum.addAll(w, 1);
        rSum.addAll(r, 1);
        for (int level = 1; level <= LEVELS && !products.isEmpty(); level++) {
            Rows w1 = Rows.empty(n);
            Rows r1 = Rows.empty(n);
            for (Product p : products) {
                for (Product q : List.of(p, p.transposed())) {
                    if (!scaled) {
                        // a rotation: M⁻ᵀ = M, every row is a writer row
                        w1.addTimes(w, q.a(), q.b());
                        continue;
                    }
                    // writer rows carry M: the product's left factor must be M⁻¹; reader rows carry M⁻ᵀ: it must be Mᵀ
                    if (q.leftReader()) (q.rightWriter() ? w1 : r1).addTimes(w, q.a(), q.b());
                    else (q.rightWriter() ? w1 : r1).addTimes(r, q.a(), q.b());
                }
            }
            Rows next = normalised(w1, r1);
            if (next == null) break;
            w = next;
            r = r1;
            wSum.addAll(w, 1);
            rSum.addAll(r, 1);
        }
        return new Levels(wSum, rSum);
    }

    /**
     * One model's invariant of a rotation-only stream, for a canonical basis: {@code gram} is G = Σ over levels of the
     * normalised Grams of the rows the closed form fits (the direct blocks and their images under the invariant
     * products). A rotation Q (x → x·Q) takes G to Qᵀ·G·Q and nothing else in the element moves it, so its eigenbasis
     * depends only on the orbit. {@code rows}: the direct rows and their images under each product and its transpose
     * (levels 0 and 1), explicit, for sign rules; {@code conditioning}: λ_min/λ_max of G.
     */
    record Invariant(double[][] gram, double[][] rows, double conditioning) {}

    /** The invariant of {@code s} in the parameters {@code w}; null when the direct blocks are all zero. */
    static Invariant invariant(SymmetryAnalysis analysis, ResidualStream s, List<BlockTouch> direct, Map<String, Tensor64> w,
                               List<LinearPair> pairs, List<AttentionBlock> scaledAttentions) {
        if (direct.isEmpty()) return null;
        int n = s.size();
        List<Product> products = products(analysis, s, w, w, pairs, scaledAttentions, true);
        Levels levels = levels(s, direct, false, w, w, products);
        if (levels == null) return null;
        List<double[]> level0 = new ArrayList<>();
        for (BlockTouch t : direct) level0.addAll(List.of(w.get(t.parameter()).block(t.axis(), t.offset(), n)));
        double[][] x = level0.toArray(new double[0][]);
        List<double[]> rows = new ArrayList<>(level0);
        for (Product p : products) {
            rows.addAll(List.of(Matrices.multiply(x, p.a())));
            rows.addAll(List.of(Matrices.multiply(x, Matrices.transpose(p.a()))));
        }
        double[][] g = levels.writers().ga();
        double[] ev = Matrices.symmetricEigen(g).values();
        return new Invariant(g, rows.toArray(new double[0][]), ev[n - 1] / ev[0]);
    }

    /** M = D·Q: D² = diag(M·Mᵀ) (positive), Q = polar(D⁻¹·M); null when a row of M is zero. */
    static Estimate split(double[][] m) {
        int n = m.length;
        double[] d = new double[n];
        double[][] dm = new double[n][];
        for (int i = 0; i < n; i++) {
            d[i] = Math.sqrt(Tensor64.dot(m[i], m[i]));
            if (!(d[i] > 0)) return null;
            dm[i] = m[i].clone();
            for (int j = 0; j < n; j++) dm[i][j] /= d[i];
        }
        return new Estimate(d, SmallLinear.polar(dm), 1, 0, 0);
    }

    /** diag(d)·Q (Q itself when d is null). */
    static double[][] scaledRows(double[] d, double[][] q) {
        double[][] out = new double[q.length][];
        for (int i = 0; i < q.length; i++) {
            out[i] = q[i].clone();
            if (d != null) for (int j = 0; j < q.length; j++) out[i][j] *= d[i];
        }
        return out;
    }

    /** Both row sets scaled alike so that the A-side Grams have trace 1 together; null when there are no rows. */
    private static Rows normalised(Rows w, Rows r) {
        double t = trace(w.ga()) + trace(r.ga());
        if (!(t > 0)) return null;
        w.scale(1 / t);
        r.scale(1 / t);
        return w;
    }

    /**
     * √(Σ‖X·M − Y‖² + Σ‖Y·Mᵀ − X‖²) / √(Σ‖Y‖² + Σ‖X‖²) over the writer and the reader rows, from their Grams.
     */
    private static double residual(Rows w, Rows r, double[][] m) {
        double[][] mt = Matrices.transpose(m);
        double writers = trace(sandwich(mt, w.ga(), m)) - 2 * trace(Matrices.multiply(mt, w.c())) + trace(w.gb());
        double readers = trace(sandwich(m, r.gb(), mt)) - 2 * trace(Matrices.multiply(m, Matrices.transpose(r.c()))) + trace(r.ga());
        double scale = trace(w.gb()) + trace(r.ga());
        return Math.sqrt(Math.max(0, writers + readers) / scale);
    }

    private static double[][] sandwich(double[][] a, double[][] g, double[][] b) { return Matrices.multiply(Matrices.multiply(a, g), b); }

    /**
     * The invariant products of a stream, each scaled by 1/‖P_A‖ (both sides alike): per attention pair, Σ over query
     * heads of L_hᵀ·R_h (query–key, value–output) where both sides are stream touches; per attention whose heads take
     * factors outside GL(d), Σ_h (v_h·W_o,h)·(q_h·k_hᵀ) (the scores' factor cancels the output's); per space whose rows
     * nothing but its own class and scale moves, X_inᵀ·X_out for each reader into it and writer out of it.
     */
    static List<Product> products(SymmetryAnalysis analysis, ResidualStream s, Map<String, Tensor64> mine, Map<String, Tensor64> theirs,
                                  List<LinearPair> pairs, List<AttentionBlock> scaledAttentions, boolean orthogonal) {
        Map<String, BlockTouch> streamTouch = new HashMap<>();
        Set<String> readers = new HashSet<>();
        for (BlockTouch t : s.writers()) streamTouch.put(t.parameter(), t);
        for (BlockTouch t : s.readers()) {
            streamTouch.put(t.parameter(), t);
            readers.add(t.parameter());
        }
        int n = s.size();
        List<Product> out = new ArrayList<>();
        for (LinearPair p : pairs) {
            for (BlockTouch l : p.left()) {
                for (BlockTouch r : p.right()) {
                    double[][][] ha = headProducts(mine, streamTouch, p, l, r, n);
                    double[][][] hb = headProducts(theirs, streamTouch, p, l, r, n);
                    if (ha == null || hb == null) continue;
                    keep(out, new Product(sum(ha), sum(hb), readers.contains(l.parameter()), !readers.contains(r.parameter())), orthogonal);
                }
            }
        }
        for (AttentionBlock b : scaledAttentions) {
            LinearPair qk = analysis.pairs().get(b.queryKey());
            LinearPair vo = analysis.pairs().get(b.valueOutput());
            if (qk.kvHeads() != qk.heads() || vo.kvHeads() != vo.heads()) continue;
            for (BlockTouch ql : qk.left()) for (BlockTouch kr : qk.right()) for (BlockTouch vl : vo.left()) for (BlockTouch or : vo.right()) {
                double[][][] sa = headProducts(mine, streamTouch, qk, ql, kr, n);
                double[][][] sb = headProducts(theirs, streamTouch, qk, ql, kr, n);
                double[][][] va = headProducts(mine, streamTouch, vo, vl, or, n);
                double[][][] vb = headProducts(theirs, streamTouch, vo, vl, or, n);
                if (sa == null || sb == null || va == null || vb == null) continue;
                double[][] pa = new double[n][n];
                double[][] pb = new double[n][n];
                boolean[] kinds = null;
                for (int h = 0; h < sa.length; h++) {
                    Product score = new Product(sa[h], sb[h], readers.contains(ql.parameter()), !readers.contains(kr.parameter()));
                    Product value = new Product(va[h], vb[h], readers.contains(vl.parameter()), !readers.contains(or.parameter()));
                    Product both = value.then(score);
                    if (both == null) both = score.then(value);
                    if (both == null) break;
                    add(pa, both.a());
                    add(pb, both.b());
                    kinds = new boolean[] {both.leftReader(), both.rightWriter()};
                }
                if (kinds != null) keep(out, new Product(pa, pb, kinds[0], kinds[1]), orthogonal);
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
                    BlockTouch bi = new BlockTouch(ti.parameter(), ti.axis(), ti.offset());
                    BlockTouch bo = new BlockTouch(to.parameter(), to.axis(), to.offset());
                    double[][] pa = product(mine, streamTouch, bi, bo, size, n);
                    double[][] pb = product(theirs, streamTouch, bi, bo, size, n);
                    if (pa == null || pb == null) continue;
                    keep(out, new Product(pa, pb, readers.contains(ti.parameter()), !readers.contains(to.parameter())), orthogonal);
                }
            }
        }
        return out;
    }

    private static double[][] product(Map<String, Tensor64> w, Map<String, BlockTouch> streamTouch, BlockTouch in, BlockTouch out, int size, int n) {
        double[][] xi = rows(w, streamTouch, in, n);
        double[][] xo = rows(w, streamTouch, out, n);
        if (xi == null || xo == null) return null;
        double[][] p = new double[n][n];
        addProduct(p, xi, 0, xo, 0, size);
        return p;
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

    private static double[][] sum(double[][][] ms) {
        double[][] s = new double[ms[0].length][ms[0].length];
        for (double[][] m : ms) add(s, m);
        return s;
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
     * Keeps a product, scaled by 1/‖P_A‖ on both sides. For a rotation-only stream every product is a conjugation, so
     * ‖P‖ and tr(Pᵏ) must agree (a product that is not invariant there is dropped); otherwise the final fit's residual
     * is the check.
     */
    private static void keep(List<Product> out, Product p, boolean orthogonal) {
        double na = norm(p.a());
        if (!(na > 0)) return;
        scale(p.a(), 1 / na);
        scale(p.b(), 1 / na);
        if (orthogonal) {
            if (Math.abs(norm(p.b()) - 1) > INVARIANT_MATCH) return;
            double[][] pa = p.a();
            double[][] pb = p.b();
            for (int k = 1; k <= 3; k++) {
                if (Math.abs(trace(pa) - trace(pb)) > INVARIANT_MATCH) return;
                pa = Matrices.multiply(pa, p.a());
                pb = Matrices.multiply(pb, p.b());
            }
        }
        out.add(p);
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

    static void add(double[][] a, double[][] b) {
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a.length; j++) a[i][j] += b[i][j];
    }

    static void scale(double[][] a, double f) {
        for (double[] r : a) for (int j = 0; j < r.length; j++) r[j] *= f;
    }

    static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) c[i] = a[i].clone();
        return c;
    }
}
