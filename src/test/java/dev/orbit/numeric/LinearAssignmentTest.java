package dev.orbit.numeric;

import static dev.orbit.numeric.AssignmentChecks.certificate;
import static dev.orbit.numeric.AssignmentChecks.valid;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

import org.junit.jupiter.api.Test;

class LinearAssignmentTest {
    private static final double INF = Double.POSITIVE_INFINITY;
    /**
     * Candidate pairs per row: the default; 1 and 2, which leave most optima outside the candidates and so make the
     * searches expand rows all the time; and 0, all pairs from the start (no expansions).
     */
    private static final int[] CANDIDATES = {AssignmentSolver.DEFAULT_CANDIDATES, 1, 2, 0};

    private static Assignment solve(double[] c, int n, int m, boolean maximise, int candidates, SolveTrace trace) {
        return AssignmentSolver.solve(CostMatrix.of(c, n, m), maximise, candidates, trace);
    }

    /** Sums what the solves of one test did, to show that each path of the solver ran. */
    private static void assertEveryPathRan(SolveTrace t) {
        assertTrue(t.searches > 0 && t.expansions > 0 && t.rowReductionSteps > 0, t.toString());
    }

    private static void add(SolveTrace sum, SolveTrace t) {
        sum.searches += t.searches;
        sum.expansions += t.expansions;
        sum.rowReductionSteps += t.rowReductionSteps;
    }

    /** Cost generators: continuous, small integers (many ties and many optima), all equal, heavy-tailed. */
    private static DoubleSupplier[] kinds(SplittableRandom rng) {
        return new DoubleSupplier[] {
            rng::nextDouble,
            () -> rng.nextInt(4),
            () -> 7.0,
            () -> rng.nextGaussian() * Math.exp(4 * rng.nextGaussian()),
            () -> rng.nextInt(1000) - 500.0,
        };
    }

    private static double[] matrix(int n, int m, DoubleSupplier values) {
        double[] c = new double[n * m];
        for (int k = 0; k < c.length; k++) c[k] = values.getAsDouble();
        return c;
    }

    private static double[] negated(double[] c) {
        double[] d = new double[c.length];
        for (int k = 0; k < c.length; k++) d[k] = -c[k];
        return d;
    }

    @Test
    void everySmallShapeMatchesBruteForce() {
        SplittableRandom rng = new SplittableRandom(17);
        SolveTrace paths = new SolveTrace();
        int cases = 0;
        for (int n = 1; n <= 7; n++) {
            for (int m = n; m <= 7; m++) {
                for (DoubleSupplier kind : kinds(rng)) {
                    for (int trial = 0; trial < 12; trial++) {
                        double[] c = matrix(n, m, kind);
                        double best = BruteForceAssignment.minimumCost(c, n, m);
                        double most = -BruteForceAssignment.minimumCost(negated(c), n, m);
                        for (int k : CANDIDATES) {
                            SolveTrace t = new SolveTrace();
                            Assignment a = solve(c, n, m, false, k, t);
                            valid(a, c, n, m);
                            certificate(a, c, n, m, 1);
                            assertEquals(best, a.cost(), 1e-12 * Math.max(1, Math.abs(best)), n + "x" + m + " k=" + k);
                            Assignment max = solve(c, n, m, true, k, t);
                            valid(max, c, n, m);
                            certificate(max, c, n, m, -1);
                            assertEquals(most, max.cost(), 1e-12 * Math.max(1, Math.abs(most)), n + "x" + m + " k=" + k + " maximised");
                            add(paths, t);
                        }
                        cases++;
                    }
                }
            }
        }
        assertEquals(28 * 5 * 12, cases);
        assertEveryPathRan(paths);
    }

    @Test
    void forbiddenPairsAreAvoidedAndSmallCasesStillMatchBruteForce() {
        SplittableRandom rng = new SplittableRandom(5);
        SolveTrace paths = new SolveTrace();
        int feasible = 0, infeasible = 0;
        for (int trial = 0; trial < 3000; trial++) {
            int n = 1 + rng.nextInt(6), m = n + rng.nextInt(3);
            double forbidden = rng.nextDouble() * 0.8;
            double[] c = matrix(n, m, () -> rng.nextDouble() < forbidden ? INF : rng.nextInt(10));
            double best = BruteForceAssignment.minimumCost(c, n, m);
            for (int k : CANDIDATES) {
                SolveTrace t = new SolveTrace();
                if (best == INF) {
                    assertThrows(InfeasibleAssignmentException.class, () -> solve(c, n, m, false, k, t));
                    assertThrows(InfeasibleAssignmentException.class, () -> solve(negated(c), n, m, true, k, t));
                } else {
                    Assignment a = solve(c, n, m, false, k, t);
                    valid(a, c, n, m);
                    certificate(a, c, n, m, 1);
                    assertEquals(best, a.cost(), n + "x" + m + " k=" + k);
                    Assignment max = solve(negated(c), n, m, true, k, t);
                    valid(max, negated(c), n, m);
                    assertEquals(-best, max.cost(), 0.0);
                }
                add(paths, t);
            }
            if (best == INF) infeasible++;
            else feasible++;
        }
        assertTrue(feasible > 500 && infeasible > 300, feasible + " feasible, " + infeasible + " infeasible");
        assertEveryPathRan(paths);
    }

    @Test
    void agreesWithTheHungarianMethodAt200() {
        SplittableRandom rng = new SplittableRandom(2024);
        DoubleSupplier[] kinds = kinds(rng);
        int[][] shapes = {{200, 200}, {150, 200}, {200, 230}};
        for (int[] shape : shapes) {
            int n = shape[0], m = shape[1];
            for (int k : new int[] {0, 1, 4}) {
                double[] c = matrix(n, m, kinds[k]);
                int[] reference = MunkresAssignment.solve(c, n, m);
                double expected = 0;
                for (int i = 0; i < n; i++) expected += c[i * m + reference[i]];
                for (int candidates : CANDIDATES) {
                    Assignment a = solve(c, n, m, false, candidates, new SolveTrace());
                    valid(a, c, n, m);
                    certificate(a, c, n, m, 1);
                    assertEquals(expected, a.cost(), 1e-9 * Math.abs(expected), n + "x" + m + " kind " + k + " candidates " + candidates);
                }
            }
        }
    }

    @Test
    void weightMatchingCostsAreMaximisedLikeTheNegatedMinimum() {
        int n = 120, d = 30;
        SplittableRandom rng = new SplittableRandom(9);
        double[] wa = matrix(n, d, rng::nextGaussian), wb = matrix(n, d, rng::nextGaussian);
        double[] s = new double[n * n]; // S = Wa·Wbᵀ, the similarity weight matching maximises
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double dot = 0;
                for (int k = 0; k < d; k++) dot += wa[i * d + k] * wb[j * d + k];
                s[i * n + j] = dot;
            }
        }
        Assignment max = LinearAssignment.maximize(s, n, n);
        Assignment min = LinearAssignment.minimize(negated(s), n, n);
        certificate(max, s, n, n, -1);
        assertArrayEquals(min.columnOfRow(), max.columnOfRow());
        assertEquals(-min.cost(), max.cost(), 1e-12 * Math.abs(max.cost()));
        int[] reference = MunkresAssignment.solve(negated(s), n, n);
        double expected = 0;
        for (int i = 0; i < n; i++) expected += s[i * n + reference[i]];
        assertEquals(expected, max.cost(), 1e-9 * Math.abs(expected));
    }

    @Test
    void aPlantedPermutationIsRecoveredExactly() {
        int n = 300;
        SplittableRandom rng = new SplittableRandom(3);
        int[] planted = new int[n];
        for (int i = 0; i < n; i++) planted[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int k = rng.nextInt(i + 1), t = planted[i];
            planted[i] = planted[k];
            planted[k] = t;
        }
        double[] c = matrix(n, n, () -> 1 + rng.nextDouble());
        for (int i = 0; i < n; i++) c[i * n + planted[i]] = rng.nextDouble() * 0.5;
        assertArrayEquals(planted, LinearAssignment.minimize(c, n, n).columnOfRow());
    }

    @Test
    void memorySegmentsAndArraysGiveTheSameAnswer() {
        SplittableRandom rng = new SplittableRandom(11);
        int n = 90, m = 130;
        double[] c = matrix(n, m, () -> rng.nextInt(50));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate((long) c.length * Double.BYTES);
            MemorySegment.copy(c, 0, seg, CostMatrix.LITTLE_ENDIAN_DOUBLE, 0, c.length);
            for (boolean maximise : new boolean[] {false, true}) {
                Assignment onHeap = maximise ? LinearAssignment.maximize(c, n, m) : LinearAssignment.minimize(c, n, m);
                CostMatrix offHeap = CostMatrix.of(seg, n, m);
                Assignment viaSegment = maximise ? LinearAssignment.maximize(offHeap) : LinearAssignment.minimize(offHeap);
                assertArrayEquals(onHeap.columnOfRow(), viaSegment.columnOfRow());
                assertEquals(onHeap.cost(), viaSegment.cost());
            }
        }
    }

    @Test
    void tiesAreBrokenDeterministically() {
        SplittableRandom rng = new SplittableRandom(8);
        double[] c = matrix(60, 80, () -> rng.nextInt(3));
        int[] first = LinearAssignment.minimize(c, 60, 80).columnOfRow();
        for (int run = 0; run < 5; run++) assertArrayEquals(first, LinearAssignment.minimize(c.clone(), 60, 80).columnOfRow());
        // all pairs equal: every assignment is optimal; the rules pick one, the same every time
        double[] flat = new double[40 * 40];
        Assignment a = LinearAssignment.minimize(flat, 40, 40);
        valid(a, flat, 40, 40);
        assertArrayEquals(a.columnOfRow(), LinearAssignment.minimize(flat, 40, 40).columnOfRow());
    }

    @Test
    void identicalRowsAndStructuredCostsStaySound() {
        // every row the same: all assignments cost the same, a price war for row reduction, and candidate pairs that
        // all point at the same few columns, so the solver hands over to the dense search
        int n = 400;
        double[] same = new double[n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) same[i * n + j] = j * 0.001;
        // c = i·j: the optimum pairs the largest i with the smallest j (rearrangement inequality)
        double[] product = new double[n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) product[i * n + j] = (double) i * j;
        double expected = 0;
        for (int i = 0; i < n; i++) expected += (double) i * (n - 1 - i);
        for (int k : CANDIDATES) {
            SolveTrace trace = new SolveTrace();
            Assignment a = solve(same, n, n, false, k, trace);
            valid(a, same, n, n);
            certificate(a, same, n, n, 1);
            if (k == AssignmentSolver.DEFAULT_CANDIDATES) assertTrue(trace.denseSearches > 0, "candidates cannot pay here: " + trace);
            Assignment p = solve(product, n, n, false, k, new SolveTrace());
            certificate(p, product, n, n, 1);
            assertEquals(expected, p.cost(), "k=" + k);
        }
    }

    @Test
    void lowRankSimilaritiesStartFromASubProblemAndStayExact() {
        // S = Wa·Wbᵀ with rank-6 factors plus a little noise, as weight matching meets when a layer has few outgoing
        // weights: row reduction leaves most rows free, so the solver restarts from the prices of every 4th row and
        // column; the optimum must be the one the plain searches find (all pairs as candidates, no restart below)
        SplittableRandom rng = new SplittableRandom(31);
        int n = 1024, d = 6;
        double[] wa = matrix(n, d, rng::nextGaussian), wb = matrix(n, d, rng::nextGaussian);
        double[] s = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double dot = 0.01 * rng.nextGaussian();
                for (int k = 0; k < d; k++) dot += wa[i * d + k] * wb[j * d + k];
                s[i * n + j] = dot;
            }
        }
        SolveTrace trace = new SolveTrace();
        Assignment coarse = solve(s, n, n, true, AssignmentSolver.DEFAULT_CANDIDATES, trace);
        assertTrue(trace.coarseStarts > 0, trace.toString());
        valid(coarse, s, n, n);
        certificate(coarse, s, n, n, -1);
        // the same matrix from the plain start: a 1023-row wide slice skips the restart (square matrices only)
        double[] reference = new double[n * (n + 1)];
        for (int i = 0; i < n; i++) {
            System.arraycopy(s, i * n, reference, i * (n + 1), n);
            reference[i * (n + 1) + n] = -1e6; // never chosen
        }
        SolveTrace plain = new SolveTrace();
        Assignment wide = solve(reference, n, n + 1, true, AssignmentSolver.DEFAULT_CANDIDATES, plain);
        assertEquals(0, plain.coarseStarts);
        assertEquals(wide.cost(), coarse.cost(), 1e-12 * Math.abs(wide.cost()));
        // and a warm start from the optimal duals of a slightly different matrix needs only a few searches
        double[] moved = s.clone();
        for (int k = 0; k < moved.length; k++) moved[k] += 1e-3 * rng.nextGaussian();
        SolveTrace warm = new SolveTrace();
        Assignment again = AssignmentSolver.solve(CostMatrix.of(moved, n, n), true, AssignmentSolver.DEFAULT_CANDIDATES, warm, coarse.columnDuals());
        certificate(again, moved, n, n, -1);
        assertEquals(0, warm.coarseStarts);
        assertTrue(warm.searches < n / 8, warm.toString());
        assertEquals(solve(moved, n, n, true, AssignmentSolver.DEFAULT_CANDIDATES, new SolveTrace()).cost(), again.cost(), 1e-12 * Math.abs(again.cost()));
    }

    @Test
    void warmStartsNeedSquareMatricesAndFiniteDuals() {
        double[] c = {1, 2, 3, 4, 5, 6};
        assertThrows(IllegalArgumentException.class, () -> LinearAssignment.minimize(CostMatrix.of(c, 2, 3), new double[3]));
        assertThrows(IllegalArgumentException.class, () -> LinearAssignment.minimize(CostMatrix.of(c, 3, 2), new double[2]));
        double[] square = {1, 2, 4, 3};
        assertThrows(IllegalArgumentException.class, () -> LinearAssignment.minimize(CostMatrix.of(square, 2, 2), new double[3]));
        assertThrows(IllegalArgumentException.class, () -> LinearAssignment.maximize(CostMatrix.of(square, 2, 2), new double[] {0, Double.NaN}));
        assertArrayEquals(new int[] {1, 0}, LinearAssignment.maximize(CostMatrix.of(square, 2, 2), new double[] {5, -5}).columnOfRow());
    }

    @Test
    void candidatesAndAllPairsAgreeOnLargerMatrices() {
        SplittableRandom rng = new SplittableRandom(21);
        int n = 700, d = 40;
        double[] uniform = matrix(n, n, rng::nextDouble);
        double[] wa = matrix(n, d, rng::nextGaussian), wb = matrix(n, d, rng::nextGaussian);
        double[] similarity = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double dot = 0;
                for (int k = 0; k < d; k++) dot += wa[i * d + k] * wb[j * d + k];
                similarity[i * n + j] = -dot;
            }
        }
        for (double[] c : new double[][] {uniform, similarity}) {
            SolveTrace sparse = new SolveTrace();
            Assignment a = solve(c, n, n, false, AssignmentSolver.DEFAULT_CANDIDATES, sparse);
            Assignment all = solve(c, n, n, false, 0, new SolveTrace());
            valid(a, c, n, n);
            certificate(a, c, n, n, 1);
            assertEquals(all.cost(), a.cost(), 1e-12 * Math.abs(all.cost()));
            assertTrue(sparse.searches > 0 && sparse.candidatePairs < (long) n * n / 10, sparse.toString());
        }
    }

    @Test
    void scalingByAPowerOfTwoChangesNothing() {
        SplittableRandom rng = new SplittableRandom(12);
        int n = 300;
        double[] c = matrix(n, n, rng::nextGaussian);
        double[] huge = new double[c.length], tiny = new double[c.length];
        for (int k = 0; k < c.length; k++) {
            huge[k] = Math.scalb(c[k], 900); // ~1e271: all arithmetic scales exactly
            tiny[k] = Math.scalb(c[k], -900);
        }
        for (int candidates : CANDIDATES) {
            int[] expected = solve(c, n, n, false, candidates, new SolveTrace()).columnOfRow();
            assertArrayEquals(expected, solve(huge, n, n, false, candidates, new SolveTrace()).columnOfRow());
            assertArrayEquals(expected, solve(tiny, n, n, false, candidates, new SolveTrace()).columnOfRow());
        }
    }

    @Test
    void wideAndDegenerateShapes() {
        Assignment empty = LinearAssignment.minimize(new double[0], 0, 0);
        assertEquals(0, empty.rows());
        assertEquals(0.0, empty.cost());
        assertEquals(0, LinearAssignment.maximize(new double[0], 0, 5).rows());
        assertArrayEquals(new int[] {2}, LinearAssignment.minimize(new double[] {3, 2, 1, 4}, 1, 4).columnOfRow());
        assertArrayEquals(new int[] {3}, LinearAssignment.maximize(new double[] {3, 2, 1, 4}, 1, 4).columnOfRow());
        SplittableRandom rng = new SplittableRandom(4);
        double[] wide = matrix(3, 2000, rng::nextDouble);
        Assignment w = LinearAssignment.minimize(wide, 3, 2000);
        valid(w, wide, 3, 2000);
        certificate(w, wide, 3, 2000, 1);
    }

    @Test
    void infeasibleMatricesAreReportedClearly() {
        double[] rowForbidden = {1, 2, INF, INF};
        var e = assertThrows(InfeasibleAssignmentException.class, () -> LinearAssignment.minimize(rowForbidden, 2, 2));
        assertTrue(e.getMessage().contains("row 1"), e.getMessage());
        double[] columnForbidden = {1, INF, 2, INF};
        e = assertThrows(InfeasibleAssignmentException.class, () -> LinearAssignment.minimize(columnForbidden, 2, 2));
        assertTrue(e.getMessage().contains("column 1"), e.getMessage());
        // Hall's condition fails: rows 0 and 1 can only use column 0
        double[] hall = {1, INF, INF, 2, INF, INF, 3, 4, 5};
        assertThrows(InfeasibleAssignmentException.class, () -> LinearAssignment.minimize(hall, 3, 3));
        assertThrows(InfeasibleAssignmentException.class, () -> LinearAssignment.maximize(negated(hall), 3, 3));
        double[] wide = {1, INF, INF, 2, INF, INF};
        assertThrows(InfeasibleAssignmentException.class, () -> LinearAssignment.minimize(wide, 2, 3));
    }

    @Test
    void invalidCostsAndShapesAreRejected() {
        var nan = assertThrows(IllegalArgumentException.class, () -> LinearAssignment.minimize(new double[] {1, 2, Double.NaN, 4}, 2, 2));
        assertEquals("cost[1,0] is NaN (use +Infinity to forbid a pair)", nan.getMessage());
        var unbounded = assertThrows(IllegalArgumentException.class,
                () -> LinearAssignment.minimize(new double[] {1, Double.NEGATIVE_INFINITY, 3, 4}, 2, 2));
        assertTrue(unbounded.getMessage().startsWith("cost[0,1] is -Infinity, which makes the minimum unbounded"), unbounded.getMessage());
        var unboundedMax = assertThrows(IllegalArgumentException.class, () -> LinearAssignment.maximize(new double[] {1, INF, 3, 4}, 2, 2));
        assertTrue(unboundedMax.getMessage().contains("maximum unbounded") && unboundedMax.getMessage().contains("-Infinity to forbid"));
        var huge = assertThrows(IllegalArgumentException.class, () -> LinearAssignment.minimize(new double[] {1, 2e300, 3, 4}, 2, 2));
        assertTrue(huge.getMessage().startsWith("cost[0,1] = 2.0E300 is too large"), huge.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LinearAssignment.minimize(new double[6], 3, 2));
        assertThrows(IllegalArgumentException.class, () -> LinearAssignment.minimize(new double[5], 2, 3));
        assertThrows(IllegalArgumentException.class, () -> CostMatrix.of(MemorySegment.ofArray(new double[5]), 2, 3));
    }
}
