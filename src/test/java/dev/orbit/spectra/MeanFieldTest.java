package dev.orbit.spectra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.DoubleUnaryOperator;

import org.junit.jupiter.api.Test;

import dev.orbit.numeric.SpecialFunctions;
import dev.orbit.ops.Activation;

class MeanFieldTest {
    /** E[f(u)], u ~ N(0,1), by composite Simpson on [−12, 12]: an independent reference that handles kinks (error O(h²) there). */
    static double simpson(DoubleUnaryOperator f) {
        int n = 240_000;
        double a = -12, h = 24.0 / n, s = 0;
        for (int i = 0; i <= n; i++) {
            double x = a + i * h;
            double w = i == 0 || i == n ? 1 : (i % 2 == 1 ? 4 : 2);
            s += w * f.applyAsDouble(x) * SpecialFunctions.normalPdf(x);
        }
        return s * h / 3;
    }

    @Test
    void lengthMapClosedFormsMatchDirectIntegration() {
        for (Activation a : Activations.values()) {
            for (double q : new double[] {0.01, 0.25, 1, 3.7}) {
                double s = Math.sqrt(q);
                double phi2 = simpson(u -> Math.pow(a.phi(s * u), 2));
                double slope2 = simpson(u -> Math.pow(a.derivative(s * u), 2));
                assertEquals(phi2, MeanField.meanSquare(a, q), 1e-9 * Math.max(1, phi2), a + " E[φ²] at q = " + q);
                // φ' jumps for ReLU and hard-tanh: Simpson is only O(h) there (h = 1e-4)
                assertEquals(slope2, MeanField.meanSlopeSquared(a, q), a.kinked() ? 5e-5 : 1e-9, a + " E[φ'²] at q = " + q);
                double dq = 1e-6 * q;
                double fd = (MeanField.meanSquare(a, q + dq) - MeanField.meanSquare(a, q - dq)) / (2 * dq);
                assertEquals(fd, MeanField.meanSquareDq(a, q), 1e-6, a + " dE[φ²]/dq at q = " + q);
            }
        }
    }

    @Test
    void hardTanhCriticalLineMatchesReferenceTable() {
        // reference §3.3: q*, p(q*), σ_w, σ_b (4 decimals)
        double[][] table = {{1.0 / 16, 0.9999, 1.0000, 0.0019}, {0.25, 0.9545, 1.0236, 0.0943}, {0.5, 0.8427, 1.0893, 0.2442},
                {1, 0.6827, 1.2103, 0.4940}, {2, 0.5205, 1.3861, 0.8759}};
        for (double[] row : table) {
            MeanField.Init init = MeanField.criticalInit(Activations.HARD_TANH, row[0]);
            assertEquals(row[1], MeanField.meanSlopeSquared(Activations.HARD_TANH, row[0]), 6e-5, "p at q* = " + row[0]);
            assertEquals(row[2], init.sigmaW(), 6e-5, "σ_w at q* = " + row[0]);
            assertEquals(row[3], init.sigmaB(), 6e-5, "σ_b at q* = " + row[0]);
            assertEquals(row[0], MeanField.fixedPoint(init, 1.0), 1e-12 * row[0], "fixed point of the critical init");
            assertEquals(1, MeanField.chi(init, row[0]), 1e-12);
        }
    }

    @Test
    void criticalBiasAndCriticalInitAreInverse() {
        for (Activation a : new Activation[] {Activations.TANH, Activations.ERF, Activations.HARD_TANH}) {
            for (double sw : new double[] {1.05, 1.3, 2.0}) {
                double sb = MeanField.criticalBias(a, sw);
                MeanField.Init init = new MeanField.Init(a, sw, sb);
                double q = MeanField.fixedPoint(init, 1.0);
                assertEquals(1, MeanField.chi(init, q), 1e-9, a + " χ on the critical line at σ_w = " + sw);
                MeanField.Init back = MeanField.criticalInit(a, q);
                assertEquals(sw, back.sigmaW(), 1e-9);
                assertEquals(sb, back.sigmaB(), 1e-7);
            }
        }
        assertEquals(0, MeanField.criticalBias(Activations.RELU, Math.sqrt(2)));
        assertThrows(IllegalArgumentException.class, () -> MeanField.criticalBias(Activations.RELU, 1.3));
        assertThrows(IllegalArgumentException.class, () -> MeanField.criticalBias(Activations.TANH, 0.9)); // needs σ_w > 1
    }

    @Test
    void fixedPointAgreesWithIteratingTheMap() {
        for (Activation a : new Activation[] {Activations.TANH, Activations.ERF, Activations.HARD_TANH, Activations.RELU}) {
            MeanField.Init init = new MeanField.Init(a, a == Activations.RELU ? 1.2 : 1.7, 0.3);
            double q = 1;
            for (int i = 0; i < 5000; i++) q = MeanField.lengthMap(init, q);
            assertEquals(q, MeanField.fixedPoint(init, 1.0), 1e-12, a.toString());
        }
        // ReLU: closed form σ_b²/(1 − σ_w²/2); critical ReLU keeps the input length; supercritical diverges
        assertEquals(0.09 / (1 - 0.72), MeanField.fixedPoint(new MeanField.Init(Activations.RELU, 1.2, 0.3), 5), 1e-15);
        assertEquals(0.7, MeanField.fixedPoint(new MeanField.Init(Activations.RELU, Math.sqrt(2), 0), 0.7), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> MeanField.fixedPoint(new MeanField.Init(Activations.RELU, 1.5, 0.1), 1));
        // tanh without bias: q* = 0 in the ordered phase, positive in the chaotic one
        assertEquals(0, MeanField.fixedPoint(new MeanField.Init(Activations.TANH, 0.9, 0), 1));
        MeanField.Init chaotic = new MeanField.Init(Activations.TANH, 2, 0);
        double q = MeanField.fixedPoint(chaotic, 1);
        assertEquals(q, MeanField.lengthMap(chaotic, q), 1e-13);
        assertEquals(true, q > 0.5);
    }
}
