package dev.orbit.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GaugeTest {
    static final double T = 1.5;
    static final DoubleUnaryOperator W = t -> 0.4 + 0.8 * Math.sin(3 * t) - 0.5 * t;
    static final DoubleUnaryOperator W_DOT = t -> 2.4 * Math.cos(3 * t) - 0.5;
    static final DoubleUnaryOperator B = t -> Math.cos(2 * t) + 0.3;
    static final DoubleUnaryOperator B_DOT = t -> -2 * Math.sin(2 * t);

    private PointerScope scope;
    private NoGradGuard noGrad;

    @BeforeEach
    void open() {
        scope = new PointerScope();
        noGrad = new NoGradGuard();
    }

    @AfterEach
    void close() {
        noGrad.close();
        scope.close();
    }

    @Test
    void scalarClosedFormAgreesWithRk4() {
        double closed = ScalarOde.solve(W, B, 0.7, T, 200);
        LinearField f = new LinearField(new TimeFunction.Derived(new long[] {1, 1}, t -> Tensors.of(new double[] {W.applyAsDouble(t)}, 1, 1)),
                new TimeFunction.Derived(new long[] {1}, t -> Tensors.of(new double[] {B.applyAsDouble(t)}, 1)));
        double rk4 = Tensors.values(new Solver.Rk4(2000).solve(f, Tensors.of(new double[] {0.7}, 1, 1), T).x())[0];
        assertEquals(closed, rk4, 1e-12 * Math.abs(closed));
    }

    /** The scalar formulas leave the Wilson line x(T) unchanged: w → w + ġ, b → e^g b and the time gauge. */
    @Test
    void scalarClosedFormIsInvariantUnderSpatialAndTimeGauges() {
        var rng = new SplittableRandom(11);
        double x = ScalarOde.solve(W, B, 0.7, T, 200);
        for (int i = 0; i < 5; i++) {
            SineSeries g = SineSeries.random(4, 1.0, T, rng);
            double spatial = ScalarOde.solve(ScalarOde.spatialW(W, g), ScalarOde.spatialB(B, g), 0.7, T, 200);
            assertEquals(x, spatial, 1e-12 * Math.abs(x), "spatial gauge " + i);
            TimeReparametrisation r = TimeReparametrisation.random(4, 0.6, T, rng);
            double time = ScalarOde.solve(ScalarOde.temporal(W, r), ScalarOde.temporal(B, r), 0.7, T, 200);
            assertEquals(x, time, 1e-12 * Math.abs(x), "time gauge " + i);
        }
    }

    /** w → w − d/dt(w f) is the first-order form: x(T) moves by O(ε²) for f = ε f₀. */
    @Test
    void firstOrderTimeGaugeIsCorrectToSecondOrder() {
        SineSeries f0 = TimeReparametrisation.random(3, 0.5, T, new SplittableRandom(5)).f();
        double x = ScalarOde.solve(W, B, 0.7, T, 200);
        double[] err = new double[3];
        for (int i = 0; i < 3; i++) {
            SineSeries f = f0.scaled(Math.pow(0.5, i) * 0.2);
            err[i] = Math.abs(ScalarOde.solve(ScalarOde.temporalFirstOrder(W, W_DOT, f), ScalarOde.temporalFirstOrder(B, B_DOT, f), 0.7, T, 200) - x);
        }
        assertEquals(2.0, Math.log(err[1] / err[2]) / Math.log(2), 0.1, "order of the first-order formula's error");
        assertTrue(err[0] > 1e-6, "the first-order formula is not exact: " + err[0]);
    }

    @Test
    void matrixGaugeIsTrivialAtTheEndsAndItsDerivativeIsExact() {
        MatrixGauge g = MatrixGauge.random(3, 4, 0.8, false, T, new SplittableRandom(2));
        Tensor eye = Tensors.eye(3);
        assertTrue(Tensors.maxAbs(torch.sub(g.at(0).g(), eye)) < 1e-15);
        assertTrue(Tensors.maxAbs(torch.sub(g.at(T).g(), eye)) < 1e-14);
        for (double t : new double[] {0.1, 0.77, 1.3}) {
            MatrixGauge.Frame f = g.at(t);
            double h = 1e-5;
            Tensor fd = Tensors.times(torch.sub(g.at(t + h).g(), g.at(t - h).g()), 1 / (2 * h));
            assertTrue(Tensors.maxAbs(torch.sub(fd, f.gDot())) < 1e-8 * Tensors.maxAbs(f.gDot()), "Ġ at " + t);
            assertTrue(Tensors.maxAbs(torch.sub(torch.matmul(f.g(), f.gInv()), eye)) < 1e-14, "G·G⁻¹ at " + t);
        }
    }

    /** Closed-form coefficients (w' = G w G⁻¹ + Ġ G⁻¹, b' = G b) and the field transform agree pointwise. */
    @Test
    void closedFormCoefficientsEqualTheFieldTransform() {
        var rng = new SplittableRandom(8);
        LinearField f = new LinearField(GridFunction.random(4, new long[] {3, 3}, 0.8, T, rng), GridFunction.random(4, new long[] {3}, 0.8, T, rng));
        MatrixGauge g = MatrixGauge.random(3, 4, 0.8, false, T, rng);
        TimeReparametrisation r = TimeReparametrisation.random(4, 0.7, T, rng);
        Tensor x = Tensors.of(Gaussian.vector(rng, 12, 1.0), 4, 3);
        for (double t : new double[] {0.0, 0.21, 0.9, 1.44, T}) {
            Tensor closed = GaugeAction.spatial(f, g).at(t, x);
            Tensor generic = new GaugedField.Spatial(f, g).at(t, x);
            assertTrue(Tensors.maxAbs(torch.sub(closed, generic)) < 1e-13 * Tensors.maxAbs(closed), "spatial at " + t);
            Tensor closedT = GaugeAction.temporal(f, r).at(t, x);
            Tensor genericT = new GaugedField.Temporal(f, r).at(t, x);
            assertTrue(Tensors.maxAbs(torch.sub(closedT, genericT)) < 1e-14 * Tensors.maxAbs(closedT), "time at " + t);
        }
    }

    /** In one dimension the matrix formulas reduce to the scalar ones: w + ġ and e^g·b. */
    @Test
    void oneDimensionalMatrixGaugeIsTheScalarGauge() {
        SineSeries g = SineSeries.random(4, 1.0, T, new SplittableRandom(4));
        MatrixGauge m = MatrixGauge.diagonal(new SineSeries[] {g});
        LinearField f = new LinearField(new TimeFunction.Derived(new long[] {1, 1}, t -> Tensors.of(new double[] {W.applyAsDouble(t)}, 1, 1)),
                new TimeFunction.Derived(new long[] {1}, t -> Tensors.of(new double[] {B.applyAsDouble(t)}, 1)));
        LinearField gauged = GaugeAction.spatial(f, m);
        for (double t : new double[] {0.3, 0.8, 1.2}) {
            assertEquals(ScalarOde.spatialW(W, g).applyAsDouble(t), Tensors.values(gauged.w().at(t))[0], 1e-13);
            assertEquals(ScalarOde.spatialB(B, g).applyAsDouble(t), Tensors.values(gauged.b().at(t))[0], 1e-13);
        }
    }

    private static double invarianceError(VectorField f, VectorField gauged, Solver s, Tensor x0) {
        Tensor a = s.solve(f, x0, T).x();
        return Tensors.maxAbs(torch.sub(s.solve(gauged, x0, T).x(), a)) / Tensors.maxAbs(a);
    }

    private static double order(double coarse, double fine) { return Math.log(coarse / fine) / Math.log(2); }

    /** x(T) is gauge invariant up to the solvers' discretisation error, which shrinks at their order. */
    @Test
    void spatialGaugeInvarianceErrorShrinksAtTheSolverOrder() {
        var rng = new SplittableRandom(21);
        LinearField f = new LinearField(GridFunction.random(4, new long[] {3, 3}, 0.8, T, rng), GridFunction.random(4, new long[] {3}, 0.8, T, rng));
        VectorField gauged = new GaugedField.Spatial(f, MatrixGauge.random(3, 4, 0.6, false, T, rng));
        Tensor x0 = Tensors.of(Gaussian.vector(rng, 15, 1.0), 5, 3);
        double rk4Order = order(invarianceError(f, gauged, new Solver.Rk4(32), x0), invarianceError(f, gauged, new Solver.Rk4(64), x0));
        assertEquals(4.0, rk4Order, 0.35, "RK4 steps aligned with the knots");
        double eulerOrder = order(invarianceError(f, gauged, new Solver.Euler(256), x0), invarianceError(f, gauged, new Solver.Euler(512), x0));
        assertEquals(1.0, eulerOrder, 0.1);
        assertTrue(invarianceError(f, gauged, new Solver.DormandPrince(1e-11, 1e-13), x0) < 1e-9);
        assertTrue(invarianceError(f, gauged, new Solver.Rk4(8), x0) > 1e-5, "a coarse solver does see the gauge");
    }

    @Test
    void timeGaugeOfASmoothNonlinearFieldShrinksAtTheSolverOrder() {
        var rng = new SplittableRandom(22);
        LinearField lin = new LinearField(NetFunction.random(6, new long[] {2, 2}, 0.8, T, rng), NetFunction.random(6, new long[] {2}, 0.8, T, rng));
        NonlinearField f = NonlinearField.random(lin, 8, T, rng);
        VectorField gauged = new GaugedField.Temporal(f, TimeReparametrisation.random(4, 0.6, T, rng));
        Tensor x0 = Tensors.of(Gaussian.vector(rng, 10, 1.0), 5, 2);
        assertEquals(4.0, order(invarianceError(f, gauged, new Solver.Rk4(32), x0), invarianceError(f, gauged, new Solver.Rk4(64), x0)), 0.35);
        assertEquals(1.0, order(invarianceError(f, gauged, new Solver.Euler(256), x0), invarianceError(f, gauged, new Solver.Euler(512), x0)), 0.1);
        VectorField both = new GaugedField.Spatial(gauged, MatrixGauge.random(2, 4, 0.6, false, T, rng));
        assertTrue(invarianceError(f, both, new Solver.DormandPrince(1e-11, 1e-13), x0) < 1e-9);
    }
}
