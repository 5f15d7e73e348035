package dev.orbit.checkpoint;

import java.util.SplittableRandom;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import dev.orbit.numeric.Hadamard;
import dev.orbit.numeric.Matrices;

/**
 * An orthogonal Q (n × n) applied to the last axis of a float64 tensor, x → x·Q, in one of two forms: a dense
 * matrix (Haar; O(n²) per row) or a randomised Kronecker Hadamard diag(s)·(H_m ⊗ H_{2ᵏ})/√n (O(n(m + log n))
 * per row through a fast Walsh–Hadamard transform; 4096 wide: 12 butterfly passes instead of a 4096² matmul).
 */
public sealed interface Orthogonal permits Orthogonal.Dense, Orthogonal.KroneckerHadamard {

    int size();

    /** x·Q over the last axis of x (any leading shape). */
    Tensor right(Tensor x);

    /** Qᵀ·W for W [n, …] (the writers of the residual stream): (Wᵀ·Q)ᵀ. */
    default Tensor leftTransposed(Tensor w) {
        if (w.dim() == 1) return right(w);
        return right(w.t().contiguous()).t().contiguous();
    }

    /** Q as a dense matrix (tests, small widths). */
    double[][] dense();

    record Dense(double[][] q) implements Orthogonal {
        @Override public int size() { return q.length; }

        @Override public Tensor right(Tensor x) { return torch.matmul(x, Edits.matrix(q)); }

        @Override public double[][] dense() { return q; }
    }

    /**
     * diag(s)·(H_m ⊗ H_p)/√(mp), H_m from {@link Hadamard#matrix}, H_p Sylvester's (p = 2ᵏ). The random signs come
     * first, on the input side: after the transform they would only flip output signs, leaving every |x·Q| (the
     * outlier objective) the same for all seeds. With m = 1 it equals {@link Matrices#randomHadamard} drawn from the
     * same seed.
     */
    record KroneckerHadamard(int m, int p, double[] signs) implements Orthogonal {
        public static KroneckerHadamard random(int n, SplittableRandom rng) {
            Hadamard.Split split = Hadamard.split(n);
            if (split == null) {
                throw new IllegalArgumentException("no Hadamard matrix of order " + n + " here (needs m·2^k with m from Sylvester or Paley, m ≤ 256); use Haar");
            }
            double[] s = new double[n];
            for (int j = 0; j < n; j++) s[j] = rng.nextBoolean() ? 1 : -1;
            return new KroneckerHadamard(split.small(), split.powerOfTwo(), s);
        }

        @Override public int size() { return m * p; }

        @Override public Tensor right(Tensor x) {
            long[] shape = x.sizes().vec().get();
            int n = size();
            Tensor y = x.mul(Edits.matrix(signs, n)).reshape(-1, m, p);
            if (m > 1) y = torch.matmul(y.transpose(1, 2), Edits.matrix(Hadamard.matrix(m))).transpose(1, 2);
            y = walshHadamard(y.reshape(-1, p).contiguous(), p).reshape(-1, n);
            y = y.mul(new Scalar(1 / Math.sqrt(n)));
            return y.reshape(shape);
        }

        /** Rows of x [N, p] times Sylvester's H_p (symmetric): log₂ p butterfly passes. */
        private static Tensor walshHadamard(Tensor x, int p) {
            long rows = x.size(0);
            for (long h = 1; h < p; h *= 2) {
                Tensor v = x.reshape(rows, p / (2 * h), 2, h);
                Tensor a = v.select(2, 0), b = v.select(2, 1);
                TensorVector parts = new TensorVector();
                parts.push_back(a.add(b));
                parts.push_back(a.sub(b));
                x = torch.stack(parts, 2).reshape(rows, p);
            }
            return x;
        }

        @Override public double[][] dense() {
            int n = size();
            double[][] hm = Hadamard.matrix(m);
            double[][] q = new double[n][n];
            double norm = 1 / Math.sqrt(n);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double hp = Integer.bitCount((i % p) & (j % p)) % 2 == 0 ? 1 : -1;
                    q[i][j] = signs[i] * hm[i / p][j / p] * hp * norm;
                }
            }
            return q;
        }
    }
}
