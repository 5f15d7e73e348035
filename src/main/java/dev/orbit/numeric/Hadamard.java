package dev.orbit.numeric;

/**
 * Hadamard matrices (±1 entries, H·Hᵀ = n·I) of the orders a residual stream needs: Sylvester's 2ᵏ, and
 * m·2ᵏ for the m that Paley's constructions give (m = q + 1 for a prime q ≡ 3 mod 4: 4, 8, 12, 20, 24, 32, 44, …;
 * m = 2(q + 1) for a prime q ≡ 1 mod 4: 12, 28, 36, 60, …). Widths of real models: 4096 = 1·2¹², 3584 = 28·2⁷
 * (Qwen2-7B), 5120 = 20·2⁸, 3072 = 12·2⁸, 896 = 28·2⁵, 1152 = 36·2⁵.
 */
public final class Hadamard {
    /** Largest small order searched for (beyond it, n/2ᵏ is too big a dense factor to be worth it). */
    static final int MAX_SMALL_ORDER = 256;

    private Hadamard() {}

    /** n = small · 2ᵏ with a Hadamard matrix of order {@code small}; the largest 2ᵏ wins. */
    public record Split(int small, int powerOfTwo) {}

    /** How to build an order-n Hadamard matrix as a Kronecker product, or null when none of these constructions fits. */
    public static Split split(int n) {
        if (n < 1) return null;
        int p = Integer.lowestOneBit(n);
        for (; p >= 1; p /= 2) {
            int m = n / p;
            if (m <= MAX_SMALL_ORDER && exists(m)) return new Split(m, p);
        }
        return null;
    }

    /** True when {@link #matrix} builds an order-m matrix. */
    public static boolean exists(int m) {
        if (m == 1 || m == 2) return true;
        if (m % 4 != 0) return false;
        if (isPrime(m - 1) && (m - 1) % 4 == 3) return true;
        int q = m / 2 - 1;
        return m % 2 == 0 && isPrime(q) && q % 4 == 1;
    }

    /** An order-m Hadamard matrix (entries ±1): Sylvester for 1 and 2, Paley I or II otherwise. */
    public static double[][] matrix(int m) {
        if (m == 1) return new double[][] {{1}};
        if (m == 2) return new double[][] {{1, 1}, {1, -1}};
        if (m % 4 == 0 && isPrime(m - 1) && (m - 1) % 4 == 3) return paleyOne(m - 1);
        int q = m / 2 - 1;
        if (m % 4 == 0 && isPrime(q) && q % 4 == 1) return paleyTwo(q);
        throw new IllegalArgumentException("no Hadamard construction here for order " + m);
    }

    /** Paley I, q ≡ 3 mod 4: H = I + S, S = [[0, 1ᵀ], [−1, Q]] with Q the (antisymmetric) Jacobsthal matrix. */
    private static double[][] paleyOne(int q) {
        int[] chi = characters(q);
        int n = q + 1;
        double[][] h = new double[n][n];
        for (int j = 1; j < n; j++) {
            h[0][j] = 1;
            h[j][0] = -1;
        }
        for (int i = 0; i < q; i++) for (int j = 0; j < q; j++) h[i + 1][j + 1] = chi[Math.floorMod(j - i, q)];
        for (int i = 0; i < n; i++) h[i][i] += 1;
        return h;
    }

    /**
     * Paley II, q ≡ 1 mod 4: the symmetric conference matrix C = [[0, 1ᵀ], [1, Q]] of order q + 1, each 0 replaced
     * by [[1, −1], [−1, −1]] and each ±1 by ±[[1, 1], [1, −1]].
     */
    private static double[][] paleyTwo(int q) {
        int[] chi = characters(q);
        int c = q + 1;
        int[][] conf = new int[c][c];
        for (int j = 1; j < c; j++) conf[0][j] = conf[j][0] = 1;
        for (int i = 0; i < q; i++) for (int j = 0; j < q; j++) conf[i + 1][j + 1] = chi[Math.floorMod(j - i, q)];
        double[][] h = new double[2 * c][2 * c];
        for (int i = 0; i < c; i++) {
            for (int j = 0; j < c; j++) {
                int v = conf[i][j];
                double[][] b = v == 0 ? new double[][] {{1, -1}, {-1, -1}} : new double[][] {{v, v}, {v, -v}};
                for (int r = 0; r < 2; r++) for (int s = 0; s < 2; s++) h[2 * i + r][2 * j + s] = b[r][s];
            }
        }
        return h;
    }

    /** The quadratic character of GF(q), q prime: χ(0) = 0, 1 on squares, −1 otherwise. */
    private static int[] characters(int q) {
        int[] chi = new int[q];
        java.util.Arrays.fill(chi, -1);
        chi[0] = 0;
        for (int x = 1; x < q; x++) chi[(int) ((long) x * x % q)] = 1;
        return chi;
    }

    private static boolean isPrime(int n) {
        if (n < 2) return false;
        for (int d = 2; (long) d * d <= n; d++) if (n % d == 0) return false;
        return true;
    }
}
