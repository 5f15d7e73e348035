package dev.orbit.spectra;

import static dev.orbit.spectra.KernelTensors.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;

import dev.orbit.numeric.GaussHermite;
import dev.orbit.numeric.SpecialFunctions;
import dev.orbit.ops.Activation;
import dev.orbit.ops.KernelBlock;
import dev.orbit.ops.QuadratureKernel;
import dev.orbit.ops.activation.ErfKernel;
import dev.orbit.ops.activation.ReluFamilyKernel;

/** Each kernel rule against an independent reference: 2-D Gauss–Hermite of the scalar φ, or the other rule. */
class KernelRulesTest {
    /** (q11, q12, q22) triples: positive, negative, near-perfect and zero correlation, unequal variances. */
    static final double[][] PAIRS = {{1, 0.6, 1}, {2.0, -0.7, 0.5}, {0.3, 0.3 * 0.999999, 1.0}, {1.5, 0, 0.8}, {0.04, 0.03, 0.09}};

    @Test
    void denseRuleAddsTheNewNngpToTheScaledNtk() {
        try (PointerScope s = new PointerScope()) {
            KernelBlock out = new DenseKernel(2.0, 0.1).apply(pair(1.5, 0.4, 0.9, 3.0));
            assertEquals(2 * 0.4 + 0.1, out.nngp().item_double(), 1e-15);
            assertEquals(0.9 + 2 * 3.0, out.ntk().item_double(), 1e-15);
            assertEquals(2 * 1.5 + 0.1, out.rowVariance().item_double(), 1e-15);
            assertEquals(2 * 0.9 + 0.1, out.colVariance().item_double(), 1e-15);
        }
    }

    @Test
    void reluFamilyClosedFormMatchesTheChoSaulDecomposition() {
        GaussHermite gh = GaussHermite.of(200);
        for (double slope : new double[] {0, 0.2, -1}) { // ReLU, leaky ReLU, abs
            for (double[] q : PAIRS) {
                try (PointerScope s = new PointerScope()) {
                    KernelBlock out = new ReluFamilyKernel(slope, 1).apply(pair(q[0], q[1], q[2], 1.0));
                    // φ(x) = relu(x) − slope·relu(−x); (u, v), (−u, −v) have correlation ρ, (u, −v) has −ρ
                    double rho = q[1] / Math.sqrt(q[0] * q[2]), scale = Math.sqrt(q[0] * q[2]);
                    double sigma = scale * (choSaul(rho) + slope * slope * choSaul(rho) - 2 * slope * choSaul(-rho));
                    // Σ̇ from the orthant probabilities P(u>0, v>0) = 1/4 + asin(ρ)/2π
                    double same = 0.25 + Math.asin(rho) / (2 * Math.PI), opposite = 0.5 - same;
                    double dot = same * (1 + slope * slope) + opposite * 2 * slope;
                    String where = "slope " + slope + " q " + java.util.Arrays.toString(q);
                    assertEquals(sigma, out.nngp().item_double(), 1e-14, "Σ' " + where);
                    assertEquals(dot, out.ntk().item_double(), 1e-14, "Σ̇ " + where);
                    double diag = gh.expect(u -> leaky(Math.sqrt(q[0]) * u, slope) * leaky(Math.sqrt(q[0]) * u, slope));
                    assertEquals(diag, out.rowVariance().item_double(), 1e-12 * q[0]);
                }
            }
        }
    }

    /** E[relu(u)relu(v)] for unit variances and correlation ρ (Cho & Saul's arc-cosine kernel of degree 1, via acos). */
    private static double choSaul(double rho) {
        double t = Math.acos(rho);
        return (Math.sin(t) + (Math.PI - t) * Math.cos(t)) / (2 * Math.PI);
    }

    @Test
    void reluIsExactAgainstTheAcosFormAtUnitVariance() {
        for (double rho : new double[] {-0.99, -0.3, 0, 0.5, 0.999}) {
            try (PointerScope s = new PointerScope()) {
                KernelBlock out = ReluFamilyKernel.RELU.apply(pair(1, rho, 1, 1.0));
                double theta = Math.acos(rho);
                assertEquals((Math.sqrt(1 - rho * rho) + (Math.PI - theta) * rho) / (2 * Math.PI), out.nngp().item_double(), 1e-15);
                assertEquals((Math.PI - theta) / (2 * Math.PI), out.ntk().item_double(), 1e-15);
            }
        }
    }

    @Test
    void reluStaysFiniteWhenRoundingPushesTheCorrelationPastOne() {
        try (PointerScope s = new PointerScope()) {
            double q = 0.1 + 0.2; // q12 slightly above √(q11·q22) in floating point
            KernelBlock out = ReluFamilyKernel.RELU.apply(pair(0.3, q, 0.3, 1.0));
            assertEquals(q / 2, out.nngp().item_double(), 1e-16);
            assertEquals(0.5, out.ntk().item_double(), 1e-16);
        }
    }

    @Test
    void erfClosedFormMatchesQuadratureTightly() {
        GaussHermite gh = GaussHermite.of(160);
        ErfKernel[] kernels = {ErfKernel.ERF, new ErfKernel(0.5, 1 / 2.4020563531719796, 0.5), new ErfKernel(1.3, 2.0, -0.2)};
        for (ErfKernel k : kernels) {
            for (double[] q : PAIRS) {
                try (PointerScope s = new PointerScope()) {
                    KernelBlock out = k.apply(pair(q[0], q[1], q[2], 1.0));
                    double sigma = gh.expect2(q[0], q[1], q[2], (u, v) -> phi(k, u) * phi(k, v));
                    double dot = gh.expect2(q[0], q[1], q[2], (u, v) -> dphi(k, u) * dphi(k, v));
                    // order 160 is still converging for erf(2x) at q11 = 2 (numpy's hermegauss: 8.5e-10 and 2.9e-8 there)
                    assertEquals(sigma, out.nngp().item_double(), 2e-9, k + " Σ' at " + java.util.Arrays.toString(q));
                    assertEquals(dot, out.ntk().item_double(), 1e-7 * Math.max(1, dot), k + " Σ̇ at " + java.util.Arrays.toString(q));
                    assertEquals(gh.expect(u -> phi(k, Math.sqrt(q[2]) * u) * phi(k, Math.sqrt(q[2]) * u)),
                            out.colVariance().item_double(), 1e-9); // 1-D quadrature of the steep erf(2x)²: ~2e-10
                }
            }
        }
    }

    @Test
    void tensorQuadratureAgreesWithTheScalarRuleAndWithTheErfClosedForm() {
        for (Activation a : new Activation[] {Activations.TANH, Activations.ERF, Activations.HARD_TANH}) {
            int order = 24;
            GaussHermite gh = GaussHermite.of(order);
            for (double[] q : PAIRS) {
                try (PointerScope s = new PointerScope()) {
                    KernelBlock out = new QuadratureKernel(a, order).apply(pair(q[0], q[1], q[2], 2.0));
                    double sigma = gh.expect2(q[0], q[1], q[2], (u, v) -> a.phi(u) * a.phi(v));
                    double dot = gh.expect2(q[0], q[1], q[2], (u, v) -> a.derivative(u) * a.derivative(v));
                    assertEquals(sigma, out.nngp().item_double(), 1e-13, a + " Σ' vs scalar rule");
                    assertEquals(2 * dot, out.ntk().item_double(), 1e-12, a + " Θ' = Σ̇·Θ vs scalar rule");
                }
            }
        }
    }

    @Test
    void tensorQuadratureOfErfConvergesToTheClosedForm() {
        for (double[] q : PAIRS) {
            try (PointerScope s = new PointerScope()) {
                KernelBlock quad = new QuadratureKernel(Activations.ERF, 60).apply(pair(q[0], q[1], q[2], 2.0));
                KernelBlock closed = ErfKernel.ERF.apply(pair(q[0], q[1], q[2], 2.0));
                // order 60 for erf at these variances: quadrature error ≤ 1e-10 (checked with numpy's hermegauss)
                assertEquals(closed.nngp().item_double(), quad.nngp().item_double(), 1e-10, "Σ' " + java.util.Arrays.toString(q));
                assertEquals(closed.ntk().item_double(), quad.ntk().item_double(), 5e-10, "Θ' " + java.util.Arrays.toString(q));
                // the diagonal E[erf(√q·a)²] converges slower: 5.1e-8 at q = 2, order 60 (numpy: 4e-12 at order 100)
                assertEquals(closed.rowVariance().item_double(), quad.rowVariance().item_double(), 1e-7);
            }
        }
    }

    @Test
    void tensorQuadratureOfReluRoughlyMatchesTheArcCosine() {
        for (double[] q : PAIRS) {
            try (PointerScope s = new PointerScope()) {
                KernelBlock quad = new QuadratureKernel(Activations.RELU, 60).apply(pair(q[0], q[1], q[2], 1.0));
                KernelBlock closed = ReluFamilyKernel.RELU.apply(pair(q[0], q[1], q[2], 1.0));
                double scale = Math.sqrt(q[0] * q[2]);
                assertEquals(closed.nngp().item_double(), quad.nngp().item_double(), 5e-3 * scale, java.util.Arrays.toString(q));
                assertEquals(closed.ntk().item_double(), quad.ntk().item_double(), 5e-2, java.util.Arrays.toString(q));
            }
        }
    }

    @Test
    void identityKeepsTheKernel() {
        try (PointerScope s = new PointerScope()) {
            KernelBlock out = ReluFamilyKernel.IDENTITY.apply(pair(1.2, -0.5, 0.7, 3.0));
            assertEquals(-0.5, out.nngp().item_double(), 1e-15);
            assertEquals(3.0, out.ntk().item_double(), 1e-15);
            assertEquals(ReluFamilyKernel.IDENTITY, Activations.LINEAR.kernelRule(10));
        }
    }

    private static double leaky(double x, double slope) { return x > 0 ? x : slope * x; }

    private static double phi(ErfKernel k, double x) { return k.a() * SpecialFunctions.erf(k.b() * x) + k.c(); }

    private static double dphi(ErfKernel k, double x) {
        return k.a() * k.b() * 2 / Math.sqrt(Math.PI) * Math.exp(-k.b() * k.b() * x * x);
    }
}
