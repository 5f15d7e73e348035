package dev.orbit.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.orbit.graph.Model;
import dev.orbit.symmetry.GaugeElement;
import dev.orbit.symmetry.NeuronSpace;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.symmetry.Scaling;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.symmetry.SymmetryAnalysis;

class DiscreteGaugeTest {
    static final double T = 1.0;
    static final int STEPS = 16;

    private PointerScope scope;
    private NoGradGuard noGrad;
    private final SplittableRandom rng = new SplittableRandom(31);
    private LinearField field;
    private SineSeries[] gauge;

    @BeforeEach
    void open() {
        scope = new PointerScope();
        noGrad = new NoGradGuard();
        field = new LinearField(GridFunction.random(4, new long[] {3, 3}, 0.8, T, rng), GridFunction.random(4, new long[] {3}, 0.8, T, rng));
        gauge = new SineSeries[] {SineSeries.random(4, 1.0, T, rng), SineSeries.random(4, 1.0, T, rng), SineSeries.random(4, 1.0, T, rng)};
    }

    @AfterEach
    void close() {
        noGrad.close();
        scope.close();
    }

    /** The skip Add ties every step's space to the fixed input: Orbit allows no rescaling of the residual form. */
    @Test
    void residualFormHasNoFreeScaling() {
        SymmetryAnalysis a = SpaceAnalyzer.analyze(EulerChain.of(field, STEPS, T).residualModel());
        assertTrue(a.spaces().stream().allMatch(s -> s.scaling() == Scaling.NONE), "every space fixed");
    }

    /** Folding the skip into the layer (W_k = I + h w_k) frees one space per interior time, like g(t_k). */
    @Test
    void transportFormHasOneFreeSpacePerInteriorStep() {
        SymmetryAnalysis a = SpaceAnalyzer.analyze(EulerChain.of(field, STEPS, T).transportModel());
        List<NeuronSpace> free = a.spaces().stream().filter(s -> s.scaling() == Scaling.NONZERO).toList();
        assertEquals(STEPS - 1, free.size());
        assertEquals(Scaling.NONE, DiscreteGauge.spaceWritten(a, EulerChain.transportName(STEPS - 1)).scaling(), "x_N is the output");
    }

    /** Orbit's per-neuron rescaling of the unrolled chain is the discrete gauge W_k → D_{k+1} W_k D_k⁻¹, to round-off. */
    @Test
    void orbitRescalingIsTheDiscreteSpatialGauge() {
        EulerChain chain = EulerChain.of(field, STEPS, T);
        double[][] g = DiscreteGauge.sample(gauge, STEPS);
        Model transport = chain.transportModel();
        SymmetryAnalysis a = SpaceAnalyzer.analyze(transport);
        GaugeElement element = DiscreteGauge.element(a, gauge, STEPS);
        // the element's own evaluation of the scales is the study's sampled e^{g(t_k)}, to the bit
        for (int k = 1; k < STEPS; k++) {
            double[] tau = element.discrete().scales().get(element.states().get(k - 1));
            for (int i = 0; i < 3; i++) assertEquals(Math.exp(g[k][i]), tau[i], 0.0, "x_" + k + "[" + i + "]");
        }
        Model moved = OrbitAction.apply(transport, a, element);
        EulerChain gauged = chain.gauged(g);
        double worst = 0;
        for (int k = 0; k < STEPS; k++) {
            double[] orbit = moved.graph().parameter(EulerChain.transportName(k)).toDoubleArray();
            double[][] formula = gauged.transport(k);
            double[] c = moved.graph().parameter("step" + k + ".c").toDoubleArray();
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) worst = Math.max(worst, Math.abs(orbit[i * 3 + j] - formula[i][j]) / Math.abs(formula[i][j]));
                worst = Math.max(worst, Math.abs(c[i] - gauged.step() * gauged.b()[k][i]) / Math.abs(c[i]));
            }
        }
        assertTrue(worst < 1e-14, "max relative parameter difference " + worst);
        assertTrue(Math.abs(moved.graph().parameter(EulerChain.transportName(3)).toDoubleArray()[1]
                - transport.graph().parameter(EulerChain.transportName(3)).toDoubleArray()[1]) > 1e-3, "the weights did move");

        // the same function, four ways, in ONNX Runtime: residual, transport, Orbit-moved transport, gauged residual
        Tensor x0 = Tensors.of(Gaussian.vector(rng, 24, 1.0), 8, 3);
        Tensor reference = OrtCheck.run(chain.residualModel(), x0);
        for (Model m : List.of(transport, moved, gauged.residualModel())) {
            double err = OrtCheck.relativeError(OrtCheck.run(m, x0), reference);
            assertTrue(err < 1e-13, m.graph().name() + ": " + err);
        }
        double[] java = chain.run(Tensors.values(x0.select(0, 0)));
        double[] ort = Tensors.values(reference.select(0, 0));
        for (int i = 0; i < 3; i++) assertEquals(java[i], ort[i], 1e-13 * Math.abs(java[i]) + 1e-15);
        assertTrue(OrtCheck.relativeError(new Solver.Euler(STEPS).solve(field, x0, T).x(), reference) < 1e-13, "the torch Euler solver");
    }

    /** The discrete gauge's residual weights converge to the continuous w' = G w G⁻¹ + Ġ G⁻¹ at rate h. */
    @Test
    void discreteGaugeConvergesToTheContinuousOne() {
        LinearField continuous = GaugeAction.spatial(field, MatrixGauge.diagonal(gauge));
        double[] err = new double[2];
        for (int r = 0; r < 2; r++) {
            int n = 64 << r;
            EulerChain gauged = EulerChain.of(field, n, T).gauged(DiscreteGauge.sample(gauge, n));
            double worst = 0;
            for (int k = 0; k < n; k++) {
                double[][] exact = Tensors.matrix(continuous.w().at(k * T / n));
                for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) worst = Math.max(worst, Math.abs(gauged.w()[k][i][j] - exact[i][j]));
            }
            err[r] = worst;
        }
        assertEquals(1.0, Math.log(err[0] / err[1]) / Math.log(2), 0.15, "first order in h: " + err[0] + " → " + err[1]);
    }

    /** Unrolled fixed-step solvers exported to ONNX compute what the solvers compute, for every kind of field. */
    @Test
    void unrolledExportRunsInOnnxRuntimeLikeTheSolver() {
        NonlinearField nonlinear = NonlinearField.random(field, 6, T, rng);
        VectorField gauged = new GaugedField.Temporal(new GaugedField.Spatial(nonlinear, MatrixGauge.random(3, 3, 0.5, false, T, rng)),
                TimeReparametrisation.random(3, 0.5, T, rng));
        Tensor x0 = Tensors.of(Gaussian.vector(rng, 15, 1.0), 5, 3);
        for (VectorField f : List.of(field, nonlinear, gauged)) {
            for (Solver s : List.of(new Solver.Euler(8), new Solver.Rk4(4))) {
                Tensor expected = s.solve(f, x0, T).x();
                double err = OrtCheck.relativeError(OrtCheck.run(UnrolledModel.of(f, s, T), x0), expected);
                assertTrue(err < 1e-13, f.getClass().getSimpleName() + " " + s + ": " + err);
            }
        }
    }
}
