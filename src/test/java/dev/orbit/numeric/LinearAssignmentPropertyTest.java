package dev.orbit.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/**
 * For random matrices (sizes up to 60 × 80, continuous or integer costs, optionally forbidden pairs): the optimum
 * is no worse than any of 200 random injections, the dual certificate holds, and maximising C equals minimising −C,
 * whatever the number of candidate pairs per row.
 */
class LinearAssignmentPropertyTest {
    /** Candidate pairs per row: the default, a few (many row expansions), or all of them (0). */
    @Provide
    Arbitrary<Integer> candidates() {
        return Arbitraries.of(AssignmentSolver.DEFAULT_CANDIDATES, 1, 2, 4, 0);
    }

    @Property(tries = 300, seed = "20260417")
    void optimalAndCertified(@ForAll @IntRange(min = 1, max = 60) int n, @ForAll @IntRange(min = 0, max = 20) int extraColumns,
                             @ForAll boolean integers, @ForAll @DoubleRange(min = 0, max = 0.3) double forbidden,
                             @ForAll("candidates") int candidates, @ForAll long seed) {
        int m = n + extraColumns;
        SplittableRandom rng = new SplittableRandom(seed);
        double[] c = new double[n * m];
        for (int k = 0; k < c.length; k++) {
            c[k] = rng.nextDouble() < forbidden ? Double.POSITIVE_INFINITY : integers ? rng.nextInt(-20, 20) : rng.nextGaussian() * 100;
        }
        for (int i = 0; i < n; i++) c[i * m + i] = integers ? 19 : 300; // keep it feasible: the diagonal stays finite
        Assignment a = AssignmentSolver.solve(CostMatrix.of(c, n, m), false, candidates, new SolveTrace());
        AssignmentChecks.valid(a, c, n, m);
        AssignmentChecks.certificate(a, c, n, m, 1);
        double tol = 1e-9 * Math.max(1, Math.abs(a.cost()));
        int[] columns = new int[m];
        for (int sample = 0; sample < 200; sample++) {
            for (int j = 0; j < m; j++) columns[j] = j;
            double cost = 0;
            for (int i = 0; i < n; i++) { // partial Fisher–Yates: a uniform random injection of the rows
                int k = i + rng.nextInt(m - i), t = columns[i];
                columns[i] = columns[k];
                columns[k] = t;
                cost += c[i * m + columns[i]];
            }
            assertTrue(a.cost() <= cost + tol, "random injection costs " + cost + " < optimum " + a.cost());
        }
        double[] negated = new double[c.length];
        for (int k = 0; k < c.length; k++) negated[k] = -c[k];
        Assignment max = AssignmentSolver.solve(CostMatrix.of(negated, n, m), true, candidates, new SolveTrace());
        AssignmentChecks.certificate(max, negated, n, m, -1);
        assertEquals(-a.cost(), max.cost(), tol);
    }

    /**
     * A warm start from any finite column duals (random ones of any spread, or the optimal duals of a perturbed copy
     * of the matrix) reaches the same optimum, certified, on square matrices with or without forbidden pairs.
     */
    @Property(tries = 300, seed = "20261207")
    void warmStartsReachTheSameOptimum(@ForAll @IntRange(min = 1, max = 60) int n, @ForAll boolean integers,
                                       @ForAll @DoubleRange(min = 0, max = 0.3) double forbidden, @ForAll boolean fromPerturbed,
                                       @ForAll @IntRange(min = -3, max = 4) int spreadExponent,
                                       @ForAll("candidates") int candidates, @ForAll boolean maximise, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double spread = Math.pow(10, spreadExponent);
        double[] c = new double[n * n];
        for (int k = 0; k < c.length; k++) {
            c[k] = rng.nextDouble() < forbidden ? Double.POSITIVE_INFINITY : integers ? rng.nextInt(-20, 20) : rng.nextGaussian() * 100;
        }
        for (int i = 0; i < n; i++) c[i * n + i] = integers ? 19 : 300;
        if (maximise) for (int k = 0; k < c.length; k++) c[k] = -c[k];
        double[] start = new double[n];
        if (fromPerturbed) {
            double[] near = c.clone();
            for (int k = 0; k < near.length; k++) if (Double.isFinite(near[k])) near[k] += rng.nextGaussian() * spread * 1e-3;
            start = AssignmentSolver.solve(CostMatrix.of(near, n, n), maximise, candidates, new SolveTrace()).columnDuals();
        } else {
            for (int j = 0; j < n; j++) start[j] = rng.nextGaussian() * spread;
        }
        Assignment cold = AssignmentSolver.solve(CostMatrix.of(c, n, n), maximise, candidates, new SolveTrace());
        Assignment warm = AssignmentSolver.solve(CostMatrix.of(c, n, n), maximise, candidates, new SolveTrace(), start);
        AssignmentChecks.valid(warm, c, n, n);
        AssignmentChecks.certificate(warm, c, n, n, maximise ? -1 : 1);
        assertEquals(cold.cost(), warm.cost(), 1e-9 * Math.max(1, Math.abs(cold.cost())));
    }
}
