package dev.orbit.identity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.orbit.numeric.Matrices;
import dev.orbit.symmetry.AttentionBlock;
import dev.orbit.symmetry.BlockTouch;
import dev.orbit.symmetry.LinearPair;
import dev.orbit.symmetry.ResidualStream;
import dev.orbit.symmetry.SymmetryAnalysis;

/**
 * A canonical map of a residual stream without norms. Such a stream's own space scales and the stream rotates, and the
 * moves compose: D₁·Q₁·D₂·Q₂ is no longer a D·Q, and the group they generate is all of GL(n) (every invertible M is
 * Q₁·D·Q₂ by its SVD; every boundary of the stream is linear, so the model allows it). Writers move by X·M, readers by
 * Y·M⁻ᵀ. So the canonical map must fix M ∈ GL(n), not only a rotation.
 *
 * <p>Two steps. (1) Whitening: an invariant Gram of one side — G_r = Σ YᵀY over reader rows (M → M⁻¹·G_r·M⁻ᵀ), or, when
 * the reader rows do not span the stream, G_w = Σ XᵀX over writer rows (M → Mᵀ·G_w·M) — is brought to I by W = G_r^½
 * (writers X·W, readers Y·W⁻ᵀ), resp. W = G_w^-½. Two copies' whitened streams then differ by an orthogonal Q only
 * (if M·W' and W both take G_r to I, M·W' = W·Q). (2) In the whitened frame the stream only rotates, so the rotation
 * invariant of {@link StreamInvariants#invariant} fixes Q. The map is W·E (E its eigenbasis), readers W⁻ᵀ·E.
 *
 * <p>The rows are those of the closed form with a scaled stream: the direct blocks (first writers, last readers) and
 * their images under the invariant products, writer rows times a product with M⁻¹ on its left, reader rows times one
 * with Mᵀ there, the product's right factor deciding which side the image is on. Every weight must be an invariant of
 * GL(n) (a Frobenius norm is not): a product P is scaled by 1/‖A·P·Bᵀ‖_F with A, B the direct writer or reader rows
 * whose factors cancel P's (X₀·P·Y₀ᵀ for a reader–writer product), and each level by 1/(tr(G_w,k·G_r,0) +
 * tr(G_w,0·G_r,k)) (= ‖X_k·Y₀ᵀ‖² + ‖X₀·Y_kᵀ‖²).
 */
final class StreamWhitening {
    /** The writer map (x → x·writers) and the reader map (readers = writers⁻ᵀ) of the stream, and which side whitened. */
    record Whitening(double[][] writers, double[][] readers, boolean byReaders) {}

    private StreamWhitening() {}

    /**
     * W with the invariant Gram of one side whitened, or null when neither side's rows span the stream, or the direct
     * writers and readers do not see each other (the invariant weights vanish).
     */
    static Whitening whitening(SymmetryAnalysis analysis, ResidualStream s, List<BlockTouch> direct, Map<String, Tensor64> w,
                          List<LinearPair> pairs, List<AttentionBlock> scaledAttentions) {
        int n = s.size();
        Set<BlockTouch> readers = new HashSet<>(s.readers());
        double[][] gw0 = new double[n][n];
        double[][] gr0 = new double[n][n];
        for (BlockTouch t : direct) {
            double[][] x = w.get(t.parameter()).block(t.axis(), t.offset(), n);
            StreamInvariants.add(readers.contains(t) ? gr0 : gw0, SmallLinear.gram(x));
        }
        double t0 = 2 * traceProduct(gw0, gr0);
        if (!(t0 > 0)) return null;
        List<StreamInvariants.Product> products = new ArrayList<>();
        for (StreamInvariants.Product p : StreamInvariants.products(analysis, s, w, w, pairs, scaledAttentions, false)) {
            for (StreamInvariants.Product q : List.of(p, p.transposed())) {
                // ‖A·P·Bᵀ‖²: A the rows whose factor P's left one cancels (writers for M⁻¹), B likewise on the right
                double[][] ga = q.leftReader() ? gw0 : gr0;
                double[][] gb = q.rightWriter() ? gr0 : gw0;
                double c = traceProduct(sandwich(Matrices.transpose(q.a()), ga, q.a()), gb);
                if (!(c > 0)) continue;
                double[][] a = StreamInvariants.copy(q.a());
                StreamInvariants.scale(a, 1 / Math.sqrt(c));
                products.add(new StreamInvariants.Product(a, a, q.leftReader(), q.rightWriter()));
            }
        }
        double[][] wk = StreamInvariants.copy(gw0);
        double[][] rk = StreamInvariants.copy(gr0);
        StreamInvariants.scale(wk, 1 / t0);
        StreamInvariants.scale(rk, 1 / t0);
        double[][] gw = StreamInvariants.copy(wk);
        double[][] gr = StreamInvariants.copy(rk);
        for (int level = 1; level <= StreamInvariants.LEVELS && !products.isEmpty(); level++) {
            double[][] w1 = new double[n][n];
            double[][] r1 = new double[n][n];
            for (StreamInvariants.Product q : products) {
                double[][] from = q.leftReader() ? wk : rk;
                StreamInvariants.add(q.rightWriter() ? w1 : r1, sandwich(Matrices.transpose(q.a()), from, q.a()));
            }
            double t = traceProduct(w1, gr0) + traceProduct(gw0, r1);
            if (!(t > 0)) break;
            StreamInvariants.scale(w1, 1 / t);
            StreamInvariants.scale(r1, 1 / t);
            StreamInvariants.add(gw, w1);
            StreamInvariants.add(gr, r1);
            wk = w1;
            rk = r1;
        }
        Map<Boolean, double[][][]> roots = new HashMap<>();
        for (boolean byReaders : new boolean[] {true, false}) {
            Matrices.Eigen e = Matrices.symmetricEigen(byReaders ? gr : gw);
            if (!(e.values()[n - 1] >= StreamInvariants.SPAN * e.values()[0])) continue;
            double[][] root = power(e, 0.5);
            double[][] inverse = power(e, -0.5);
            // readers: W = G_r^½ (W⁻ᵀ = G_r^-½); writers: W = G_w^-½ (W⁻ᵀ = G_w^½)
            return byReaders ? new Whitening(root, inverse, true) : new Whitening(inverse, root, false);
        }
        return null;
    }

    /** The parameters of {@code w} with the stream moved: writers by {@code m.writers()}, readers by {@code m.readers()}. */
    static Map<String, Tensor64> moved(Map<String, Tensor64> w, ResidualStream s, Whitening m) {
        Map<String, Tensor64> out = new HashMap<>(w);
        for (BlockTouch t : s.writers()) out.put(t.parameter(), out.get(t.parameter()).copy());
        for (BlockTouch t : s.readers()) out.put(t.parameter(), out.get(t.parameter()).copy());
        for (BlockTouch t : s.writers()) out.get(t.parameter()).multiply(t.axis(), t.offset(), m.writers());
        for (BlockTouch t : s.readers()) out.get(t.parameter()).multiply(t.axis(), t.offset(), m.readers());
        return out;
    }

    /** V·diag(λ^p)·Vᵀ. */
    private static double[][] power(Matrices.Eigen e, double p) {
        int n = e.values().length;
        double[][] v = e.vectors();
        double[][] out = new double[n][n];
        for (int k = 0; k < n; k++) {
            double f = Math.pow(e.values()[k], p);
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) out[i][j] += v[i][k] * f * v[j][k];
        }
        return out;
    }

    /** tr(A·B) for symmetric B: Σ A_ij·B_ji. */
    private static double traceProduct(double[][] a, double[][] b) {
        double t = 0;
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a.length; j++) t += a[i][j] * b[j][i];
        return t;
    }

    private static double[][] sandwich(double[][] a, double[][] g, double[][] b) { return Matrices.multiply(Matrices.multiply(a, g), b); }
}
