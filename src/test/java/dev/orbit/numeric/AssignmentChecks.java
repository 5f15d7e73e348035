package dev.orbit.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks every test applies to a solver result: a valid injection, its cost, and the dual certificate. */
final class AssignmentChecks {
    private AssignmentChecks() {}

    /** Distinct columns in range, no forbidden pair, and {@code cost} equal to the sum over the pairs. */
    static void valid(Assignment a, double[] c, int n, int m) {
        assertEquals(n, a.rows());
        boolean[] used = new boolean[m];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            int j = a.column(i);
            assertTrue(j >= 0 && j < m, "row " + i + " got column " + j);
            assertTrue(!used[j], "column " + j + " assigned twice");
            used[j] = true;
            assertTrue(Double.isFinite(c[i * m + j]), "row " + i + " assigned the forbidden column " + j);
            sum += c[i * m + j];
        }
        assertEquals(sum, a.cost(), 1e-12 * Math.max(1, Math.abs(sum)), "reported cost");
    }

    /**
     * The optimality certificate for minimisation (sign = 1) or maximisation (sign = −1): sign·(c − u − v) ≥ −tol
     * everywhere, = 0 on assigned pairs, and for n &lt; m sign·v ≤ 0 with unassigned columns at v = 0 (the column
     * constraints are inequalities then). tol scales with max |c|.
     */
    static void certificate(Assignment a, double[] c, int n, int m, double sign) {
        double scale = 1;
        for (double x : c) if (Double.isFinite(x)) scale = Math.max(scale, Math.abs(x));
        double tol = 1e-9 * scale;
        double[] u = a.rowDuals(), v = a.columnDuals();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double x = c[i * m + j];
                if (!Double.isFinite(x)) continue;
                double slack = sign * (x - u[i] - v[j]);
                assertTrue(slack >= -tol, "reduced cost [" + i + "," + j + "] = " + slack);
                if (a.column(i) == j) assertEquals(0, slack, tol, "assigned pair [" + i + "," + j + "] not tight");
            }
        }
        if (n == m) return;
        int[] owner = a.rowOfColumn(m);
        for (int j = 0; j < m; j++) {
            assertTrue(sign * v[j] <= tol, "column dual " + j + " = " + v[j] + " on the wrong side of 0");
            if (owner[j] < 0) assertEquals(0, v[j], tol, "unassigned column " + j + " has dual " + v[j]);
        }
    }
}
