package dev.orbit.identity;

import dev.orbit.numeric.Matrices;

/**
 * The map M = D·Q (positive diagonal D, orthogonal Q) of a stream that scales as well as rotates, fitted to its rows:
 * the M minimising f(M) = ⟨M, G_w·M + M·G_r⟩ − 2⟨M, C⟩ (the rows' squared residual up to a constant, from their Grams)
 * on the set of such products. The unconstrained minimiser is exact for an exact copy, but on rows that spread the
 * stream poorly (λ_min/λ_max ≈ 1e-5) it is known only roughly in some directions, and splitting it by its row norms and
 * polar factor moves it along directions the rows do pin: on `relu_attention` that split explained the rows to 1e-5
 * where the move itself explains them to 3e-7. So the split is only the start: Gauss–Newton on (d, Q) with Q ← Q·(I + S),
 * S skew, each step's normal equations solved by conjugate gradients without forming them (each product costs O(n³));
 * the best point seen is kept.
 */
final class ScaledRotationFit {
    private ScaledRotationFit() {}

    /** Gauss–Newton rounds at most; the start is close, so two or three reach the rows' own rounding. */
    static final int ROUNDS = 8;
    /** Conjugate-gradient iterations per step at most, and the relative residual they stop at. */
    static final int CG_ITERATIONS = 500;
    static final double CG_TOLERANCE = 1e-12;

    record Fit(double[] scale, double[][] rotation) {}

    /**
     * The fitted D·Q, starting from {@code start} (d, Q); {@code gw}, {@code gr}, {@code c} as in f above, {@code constant}
     * the rows' squared norm that makes f + constant their squared residual.
     */
    static Fit refine(Fit start, double[][] gw, double[][] gr, double[][] c, double constant) {
        int n = c.length;
        Fit best = start;
        double bestCost = cost(StreamInvariants.scaledRows(start.scale(), start.rotation()), gw, gr, c) + constant;
        Fit at = start;
        for (int round = 0; round < ROUNDS; round++) {
            double[][] q = at.rotation();
            double[][] m = StreamInvariants.scaledRows(at.scale(), q);
            // the negative half-gradient C − 𝒜(M), pulled back to (δd, S)
            double[][] g = minus(c, apply(gw, gr, m));
            Step rhs = pullBack(g, q, m);
            Step step = conjugateGradients(rhs, gw, gr, q, m);
            double[] d = at.scale().clone();
            for (int i = 0; i < n; i++) d[i] += step.d[i];
            boolean positive = true;
            for (double v : d) positive &= v > 0;
            if (!positive) break;
            double[][] turn = Matrices.identity(n);
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) turn[i][j] += step.s[i][j];
            Fit next = new Fit(d, SmallLinear.polar(Matrices.multiply(q, turn)));
            double now = cost(StreamInvariants.scaledRows(next.scale(), next.rotation()), gw, gr, c) + constant;
            if (!(now < bestCost)) break;
            // a step that takes the residual down by under 10 % has reached the rows' own rounding
            boolean stalled = now > 0.81 * bestCost;
            best = next;
            bestCost = now;
            at = next;
            if (stalled) break;
        }
        return best;
    }

    /** A step: the change of the scales and the skew generator of the rotation's change. */
    private record Step(double[] d, double[][] s) {
        double dot(Step o) {
            double v = Tensor64.dot(d, o.d);
            for (int i = 0; i < s.length; i++) v += Tensor64.dot(s[i], o.s[i]);
            return v;
        }

        Step plus(double f, Step o) {
            double[] dd = d.clone();
            for (int i = 0; i < dd.length; i++) dd[i] += f * o.d[i];
            double[][] ss = new double[s.length][];
            for (int i = 0; i < s.length; i++) {
                ss[i] = s[i].clone();
                for (int j = 0; j < s.length; j++) ss[i][j] += f * o.s[i][j];
            }
            return new Step(dd, ss);
        }
    }

    /** Solves Jᵀ𝒜J·x = rhs (J: the tangent map at M = D·Q; 𝒜(M) = G_w·M + M·G_r) by conjugate gradients from 0. */
    private static Step conjugateGradients(Step rhs, double[][] gw, double[][] gr, double[][] q, double[][] m) {
        int n = q.length;
        Step x = new Step(new double[n], new double[n][n]);
        Step r = rhs;
        Step p = rhs;
        double rr = r.dot(r);
        double stop = CG_TOLERANCE * CG_TOLERANCE * rr;
        for (int it = 0; it < CG_ITERATIONS && rr > stop; it++) {
            Step hp = pullBack(apply(gw, gr, push(p, q, m)), q, m);
            double php = p.dot(hp);
            if (!(php > 0)) break;
            double alpha = rr / php;
            x = x.plus(alpha, p);
            r = r.plus(-alpha, hp);
            double next = r.dot(r);
            p = r.plus(next / rr, p);
            rr = next;
        }
        return x;
    }

    /** J·(δd, S) = diag(δd)·Q + M·S: the first-order change of D·Q·(I + S). */
    private static double[][] push(Step x, double[][] q, double[][] m) {
        double[][] out = Matrices.multiply(m, x.s);
        for (int i = 0; i < q.length; i++) for (int j = 0; j < q.length; j++) out[i][j] += x.d[i] * q[i][j];
        return out;
    }

    /** Jᵀ·R: δd_i = (R·Qᵀ)_ii, S = skew(Mᵀ·R). */
    private static Step pullBack(double[][] r, double[][] q, double[][] m) {
        int n = q.length;
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = Tensor64.dot(r[i], q[i]);
        double[][] a = Matrices.multiply(Matrices.transpose(m), r);
        double[][] s = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) s[i][j] = (a[i][j] - a[j][i]) / 2;
        return new Step(d, s);
    }

    /** 𝒜(M) = G_w·M + M·G_r. */
    private static double[][] apply(double[][] gw, double[][] gr, double[][] m) {
        double[][] out = Matrices.multiply(gw, m);
        double[][] right = Matrices.multiply(m, gr);
        for (int i = 0; i < out.length; i++) for (int j = 0; j < out.length; j++) out[i][j] += right[i][j];
        return out;
    }

    /** f(M) = ⟨M, 𝒜(M)⟩ − 2⟨M, C⟩. */
    private static double cost(double[][] m, double[][] gw, double[][] gr, double[][] c) {
        double[][] am = apply(gw, gr, m);
        double f = 0;
        for (int i = 0; i < m.length; i++) f += Tensor64.dot(m[i], am[i]) - 2 * Tensor64.dot(m[i], c[i]);
        return f;
    }

    private static double[][] minus(double[][] a, double[][] b) {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
            for (int j = 0; j < a.length; j++) out[i][j] -= b[i][j];
        }
        return out;
    }
}
