package dev.orbit.identity;

import dev.orbit.numeric.Matrices;

/**
 * The query–key block A of one head fitted on both sides at once. The query side alone (L_q·A ≈ R_q) absorbs the
 * stream map's error exactly and hands the key side, which moves by c·A⁻ᵀ, that error amplified by κ(A); a stream that
 * scales as well as rotates (no norms) is known only to ≈ 1e-6, so the key side lands above the "same" bar. Here A
 * minimises ‖L_q·A − R_q‖²/‖R_q‖² + ‖c·L_k·A⁻ᵀ − R_k‖²/‖R_k‖² (each side relative, as the decision reads them) by
 * Gauss–Newton from the query-side fit, with the head factor c re-fitted each round; the best point seen is kept.
 */
final class JointPairFit {
    private JointPairFit() {}

    /** Gauss–Newton rounds at most; the start is within ≈ 1e-6, so one or two reach the noise floor. */
    static final int ROUNDS = 4;

    static double[][] refine(double[][] start, double[][] lq, double[][] rq, double[][] lk, double[][] rk) {
        int d = start.length;
        double wq = squaredNorm(rq);
        double wk = squaredNorm(rk);
        if (!(wq > 0) || !(wk > 0)) return start;
        double[][] a = start;
        double[][] best = start;
        double bestCost = Double.POSITIVE_INFINITY;
        for (int round = 0; round <= ROUNDS; round++) {
            double[][] x;
            try {
                x = Matrices.transpose(Matrices.inverse(a));
            } catch (IllegalArgumentException singular) {
                break;
            }
            double[][] k = Matrices.multiply(lk, x);
            double c = factor(k, rk);
            double[][] eq = minus(rq, Matrices.multiply(lq, a), 1);
            double[][] ek = minus(rk, k, c);
            double cost = squaredNorm(eq) / wq + squaredNorm(ek) / wk;
            // a round that gains under 10 % has reached the noise floor: stop
            boolean stalled = cost > 0.9 * bestCost;
            if (cost < bestCost) {
                bestCost = cost;
                best = a;
            }
            if (round == ROUNDS || stalled) break;
            // the normal equations of the step Δ: P·Δ + Q·Δ·S = R, with P = L_qᵀL_q/‖R_q‖², Q = c²·A⁻ᵀA⁻¹/‖R_k‖²,
            // S = KᵀK (K = L_k·A⁻ᵀ; the first-order change of A⁻ᵀ is −A⁻ᵀ·Δᵀ·A⁻ᵀ). In S's eigenbasis the columns
            // separate: (P + λ_j·Q)·Δ'_j = R'_j, d solves of d × d instead of one of d² × d²
            double[][] p = scaled(Matrices.multiply(Matrices.transpose(lq), lq), 1 / wq);
            double[][] q = scaled(Matrices.multiply(x, Matrices.transpose(x)), c * c / wk);
            double[][] bq = Matrices.multiply(Matrices.transpose(lq), eq);
            double[][] bk = Matrices.multiply(Matrices.multiply(x, Matrices.transpose(ek)), k);
            double[][] r = new double[d][d];
            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) r[i][j] = bq[i][j] / wq - c * bk[i][j] / wk;
            Matrices.Eigen s = Matrices.symmetricEigen(Matrices.multiply(Matrices.transpose(k), k));
            double[][] v = s.vectors();
            double[][] rv = Matrices.multiply(r, v);
            double[][] stepV = new double[d][d];
            boolean solved = true;
            for (int j = 0; j < d && solved; j++) {
                double[][] m = new double[d][d];
                for (int i = 0; i < d; i++) for (int l = 0; l < d; l++) m[i][l] = p[i][l] + s.values()[j] * q[i][l];
                double[] col = new double[d];
                for (int i = 0; i < d; i++) col[i] = rv[i][j];
                double[] sol = choleskySolve(m, col);
                if (sol == null) solved = false;
                else for (int i = 0; i < d; i++) stepV[i][j] = sol[i];
            }
            if (!solved) break;
            double[][] step = Matrices.multiply(stepV, Matrices.transpose(v));
            double[][] next = new double[d][d];
            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) next[i][j] = a[i][j] + step[i][j];
            a = next;
        }
        return best;
    }

    /** The least-squares factor c of c·k ≈ r, or 1 where it is not positive (unrelated heads). */
    static double factor(double[][] k, double[][] r) {
        double kr = 0;
        double kk = 0;
        for (int i = 0; i < k.length; i++) {
            kr += Tensor64.dot(k[i], r[i]);
            kk += Tensor64.dot(k[i], k[i]);
        }
        double c = kr / kk;
        return c > 0 && Double.isFinite(c) ? c : 1;
    }

    private static double[][] minus(double[][] r, double[][] m, double f) {
        double[][] out = new double[r.length][];
        for (int i = 0; i < r.length; i++) {
            out[i] = new double[r[i].length];
            for (int j = 0; j < r[i].length; j++) out[i][j] = r[i][j] - f * m[i][j];
        }
        return out;
    }

    private static double[][] scaled(double[][] m, double f) {
        double[][] out = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i].clone();
            for (int j = 0; j < out[i].length; j++) out[i][j] *= f;
        }
        return out;
    }

    private static double squaredNorm(double[][] m) {
        double s = 0;
        for (double[] row : m) s += Tensor64.dot(row, row);
        return s;
    }

    /** x with S·x = b for a symmetric positive definite S (Cholesky, in place); null where S is not positive definite. */
    static double[] choleskySolve(double[][] s, double[] b) {
        int n = b.length;
        for (int j = 0; j < n; j++) {
            double[] rj = s[j];
            double diag = rj[j];
            for (int k = 0; k < j; k++) diag -= rj[k] * rj[k];
            if (!(diag > 0)) return null;
            double l = Math.sqrt(diag);
            rj[j] = l;
            for (int i = j + 1; i < n; i++) {
                double[] ri = s[i];
                double v = ri[j];
                for (int k = 0; k < j; k++) v -= ri[k] * rj[k];
                ri[j] = v / l;
            }
        }
        double[] x = b.clone();
        for (int i = 0; i < n; i++) {
            double v = x[i];
            for (int k = 0; k < i; k++) v -= s[i][k] * x[k];
            x[i] = v / s[i][i];
        }
        for (int i = n - 1; i >= 0; i--) {
            double v = x[i];
            for (int k = i + 1; k < n; k++) v -= s[k][i] * x[k];
            x[i] = v / s[i][i];
        }
        return x;
    }
}
