package dev.orbit.symmetry;

import java.util.SplittableRandom;

/**
 * The maps that commute with rotary position embeddings in the rotate-half form: RoPE rotates each plane (e_i,
 * e_{i+d/2}), i &lt; d/2, by its own angle, so on q and k (row vectors, q → q·A) only A = ⊕ (a_i·I + b_i·J) on
 * those planes keeps q·kᵀ — a complex number z_i = a_i + i·b_i per pair, where J maps e_i → e_{i+d/2} and
 * e_{i+d/2} → −e_i. A⁻ᵀ lies in the same set, so the key side stays in it too.
 */
final class RotaryCommutant {
    /** Entries outside the pattern, or unequal within it, beyond this are not in the commutant. */
    static final double TOLERANCE = 1e-9;

    private RotaryCommutant() {}

    static boolean contains(double[][] m) {
        int d = m.length;
        if (d % 2 != 0) return false;
        int h = d / 2;
        double scale = 0;
        for (double[] row : m) for (double v : row) scale = Math.max(scale, Math.abs(v));
        double tol = TOLERANCE * Math.max(1, scale);
        for (int r = 0; r < d; r++) {
            for (int c = 0; c < d; c++) {
                boolean pattern = c == r || c == (r + h) % d;
                if (!pattern && Math.abs(m[r][c]) > tol) return false;
            }
        }
        for (int i = 0; i < h; i++) {
            if (Math.abs(m[i][i] - m[i + h][i + h]) > tol || Math.abs(m[i][i + h] + m[i + h][i]) > tol) return false;
        }
        return true;
    }

    /**
     * A random element: z_i = r_i·e^{iφ_i} with log r_i uniform in ±½ log κ (both extremes hit, so the condition
     * number is exactly κ for d ≥ 4) and φ_i uniform.
     */
    static double[][] random(int d, double kappa, SplittableRandom rng) {
        int h = d / 2;
        double half = 0.5 * Math.log(kappa);
        double[][] m = new double[d][d];
        for (int i = 0; i < h; i++) {
            double logR = i == 0 ? half : i == 1 ? -half : rng.nextDouble(-half, half == 0 ? Double.MIN_VALUE : half);
            double r = Math.exp(logR);
            double phi = rng.nextDouble(0, 2 * Math.PI);
            double a = r * Math.cos(phi);
            double b = r * Math.sin(phi);
            // q → q·A on row vectors: e_i ↦ a·e_i + b·e_{i+h}, e_{i+h} ↦ −b·e_i + a·e_{i+h}
            m[i][i] = a;
            m[i][i + h] = b;
            m[i + h][i] = -b;
            m[i + h][i + h] = a;
        }
        return m;
    }
}
