package dev.orbit.spectra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import dev.orbit.numeric.GaussHermite;
import dev.orbit.numeric.SpecialFunctions;
import dev.orbit.ops.Activation;

class QuadratureTest {
    @Test
    void gaussHermiteIntegratesGaussianMomentsExactly() {
        GaussHermite gh = GaussHermite.of(20);
        double[] expected = {1, 0, 1, 0, 3, 0, 15, 0, 105, 0, 945}; // E[u^k] = (k−1)!! for even k
        for (int k = 0; k < expected.length; k++) {
            int kk = k;
            assertEquals(expected[k], gh.expect(u -> Math.pow(u, kk)), 1e-11 * Math.max(1, expected[k]), "moment " + k);
        }
        double sum = 0;
        for (double w : gh.weights()) sum += w;
        assertEquals(1, sum, 1e-14);
    }

    @Test
    void highOrderStaysFiniteAndAccurate() {
        GaussHermite gh = GaussHermite.of(150);
        // E[cos u] = e^{−1/2}
        assertEquals(Math.exp(-0.5), gh.expect(Math::cos), 1e-13);
        for (int i = 1; i < gh.nodes().length; i++) {
            if (!(gh.nodes()[i] > gh.nodes()[i - 1])) throw new AssertionError("nodes not increasing at " + i);
        }
    }

    @Test
    void bivariateExpectationMatchesCovariance() {
        GaussHermite gh = GaussHermite.of(10);
        assertEquals(0.3, gh.expect2(2.0, 0.3, 0.5, (u, v) -> u * v), 1e-13);
        // E[u²v²] = q11·q22 + 2·q12²
        assertEquals(2.0 * 0.5 + 2 * 0.09, gh.expect2(2.0, 0.3, 0.5, (u, v) -> u * u * v * v), 1e-12);
        // ReLU arc-cosine closed form at correlation ρ = 0.6, unit variances: (√(1−ρ²) + (π − acos ρ)ρ)/(2π)
        double rho = 0.6, closed = (Math.sqrt(1 - rho * rho) + (Math.PI - Math.acos(rho)) * rho) / (2 * Math.PI);
        double quad = GaussHermite.of(120).expect2(1, rho, 1, (u, v) -> Math.max(u, 0) * Math.max(v, 0));
        assertEquals(closed, quad, 1e-3, "kinked φ: quadrature converges only algebraically (measured 4.7e-4 at n = 120)");
    }

    @Test
    void erfMatchesHighPrecisionValues() {
        assertEquals(0.0, SpecialFunctions.erf(0), 0);
        assertEquals(1.1283791670955126e-10, SpecialFunctions.erf(1e-10), 1e-25);
        assertEquals(0.5204998778130465, SpecialFunctions.erf(0.5), 2e-16);
        assertEquals(0.8427007929497149, SpecialFunctions.erf(1), 2e-16);
        assertEquals(-0.9953222650189527, SpecialFunctions.erf(-2), 2e-16);
        assertEquals(0.9999779095030014, SpecialFunctions.erf(3), 2e-16);
        assertEquals(2.209049699858544e-05, SpecialFunctions.erfc(3), 1e-19);
        assertEquals(1.5374597944280349e-12, SpecialFunctions.erfc(5), 1e-25);
        assertEquals(0.004677734981047266, SpecialFunctions.erfc(2), 1e-17);
        assertEquals(0.9750021048517795, SpecialFunctions.normalCdf(1.96), 1e-15);
    }

    @Test
    void activationsParseAndDifferentiate() {
        assertEquals(Activations.HARD_TANH, Activations.of("hard-tanh"));
        assertEquals(Activations.HARD_TANH, Activations.of("HardTanh"));
        assertThrows(IllegalArgumentException.class, () -> Activations.of("swish"));
        for (Activation a : new Activation[] {Activations.TANH, Activations.ERF}) {
            for (double x : new double[] {-1.3, 0.2, 0.9}) {
                double fd = (a.phi(x + 1e-6) - a.phi(x - 1e-6)) / 2e-6;
                assertEquals(fd, a.derivative(x), 1e-8, a + " at " + x);
            }
        }
    }
}
