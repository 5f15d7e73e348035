package dev.orbit.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

class GaugeFixingTest {
    static final double T = 1.0;

    /**
     * d = 1: min over g with g(0) = g(T) = 0 of ∫(w + ġ)² is reached at ġ = mean − w, i.e. w' ≡ (1/T)∫w, with value
     * T·mean². The optimiser over a finite sine basis must land there.
     */
    @Test
    void scalarWeightDecayGaugeIsTheConstantMean() {
        DoubleUnaryOperator w = t -> 0.4 + 0.8 * Math.sin(3 * t) - 0.5 * t;
        LinearField f = new LinearField(new TimeFunction.Derived(new long[] {1, 1}, t -> Tensors.of(new double[] {w.applyAsDouble(t)}, 1, 1)),
                new TimeFunction.Derived(new long[] {1}, t -> Tensors.of(new double[] {1.0}, 1)));
        double mean = ScalarOde.integrate(w, 0, T);  // one 5-point Gauss panel: exact to ~1e-9 for this w
        GaugeFixing.Result r = GaugeFixing.fix(f, GaugeFixing.Objective.WEIGHT_DECAY, 12, 400, 0.05, T, 200);
        double minimum = T * mean * mean;
        assertTrue(r.before() > 1.1 * minimum, "the trained gauge is not the minimum: " + r.before());
        assertEquals(minimum, r.after(), 5e-3 * minimum, "reaches the exact minimum T·mean²");
        try (PointerScope s = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
            LinearField fixed = GaugeAction.spatial(f, r.gauge());
            double worst = 0;
            for (double t = 0.1; t < 0.95; t += 0.05) worst = Math.max(worst, Math.abs(Tensors.values(fixed.w().at(t))[0] - mean));
            assertTrue(worst < 0.05 * Math.abs(mean) + 0.02, "w'(t) is flat at the mean " + mean + ": worst deviation " + worst);
        }
    }

    @Test
    void fixingAGaugeLowersTheFunctionalAndKeepsTheEndState() {
        var rng = new SplittableRandom(9);
        LinearField f = new LinearField(GridFunction.random(4, new long[] {2, 2}, 0.8, T, rng), GridFunction.random(4, new long[] {2}, 0.5, T, rng));
        for (GaugeFixing.Objective o : GaugeFixing.Objective.values()) {
            GaugeFixing.Result r = GaugeFixing.fix(f, o, 4, 60, 0.05, T, 64);
            assertTrue(r.after() < 0.95 * r.before(), o + ": " + r.before() + " → " + r.after());
            assertEquals(r.after(), GaugeFixing.value(f, r.gauge(), o, T, 64), 1e-12 * r.after(), "value() agrees with the optimiser");
            try (PointerScope s = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
                Tensor x0 = Tensors.of(Gaussian.vector(rng, 10, 1.0), 5, 2);
                Solver tight = new Solver.DormandPrince(1e-10, 1e-12);
                double change = OrtCheck.relativeError(tight.solve(new GaugedField.Spatial(f, r.gauge()), x0, T).x(), tight.solve(f, x0, T).x());
                // each solve carries its own error ~1e-9 here (the grid's kinks): 1e-7 is two orders above it and far
                // below the size of the gauge's effect on the field
                assertTrue(change < 1e-7, o + ": x(T) moved by " + change);
            }
        }
    }
}
