package dev.orbit.spectra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JacobianTheoryTest {
    static JacobianTheory relu(WeightLaw w, int depth) {
        return JacobianTheory.of(w, depth, MeanField.criticalInit(Activations.RELU, 1), 1);
    }

    static JacobianTheory hardTanh(WeightLaw w, int depth, double qStar) {
        return JacobianTheory.of(w, depth, MeanField.criticalInit(Activations.HARD_TANH, qStar), qStar);
    }

    @Test
    void momentsFollowFromSTransformSeries() {
        // S(0) = 1/m₁ and −S'(0)/S(0) = var/m₁², checked by central differences of the S-transform product,
        // which goes through the numerical inverse of ψ (independent of the moment formulas)
        JacobianTheory[] cases = {relu(WeightLaw.GAUSSIAN, 5), relu(WeightLaw.ORTHOGONAL, 5), hardTanh(WeightLaw.ORTHOGONAL, 7, 0.5),
                JacobianTheory.of(WeightLaw.ORTHOGONAL, 6, MeanField.criticalInit(Activations.TANH, 0.3), 0.3),
                JacobianTheory.of(WeightLaw.GAUSSIAN, 3, new MeanField.Init(Activations.ERF, 1.3, 0.2), 0.4)};
        for (JacobianTheory t : cases) {
            double h = 1e-5;
            double s0 = t.sTransform(0), ds = (t.sTransform(h) - t.sTransform(-h)) / (2 * h);
            assertEquals(1 / t.meanEigenvalue(), s0, 1e-9 * s0, t.toString());
            assertEquals(t.varianceRatio(), -ds / s0, 1e-6 * Math.max(1, t.varianceRatio()), t.toString());
        }
        assertEquals(2.0 * 7, relu(WeightLaw.GAUSSIAN, 7).varianceRatio(), 1e-12); // L/p
        assertEquals(7, relu(WeightLaw.ORTHOGONAL, 7).varianceRatio(), 1e-12); // L(1 − p)/p
        assertEquals(1, relu(WeightLaw.GAUSSIAN, 7).meanEigenvalue(), 1e-12);
    }

    @Test
    void discreteBernoulliLawReproducesClosedForms() {
        double p = 0.3;
        SlopeLaw closed = new SlopeLaw.Bernoulli(p);
        SlopeLaw discrete = new SlopeLaw.Discrete(new double[] {0, 1}, new double[] {1 - p, p});
        for (double z : new double[] {-0.2, 0.1, 0.7, 3}) assertEquals(closed.sTransform(z), discrete.sTransform(z), 1e-12);
        for (WeightLaw w : WeightLaw.values()) {
            for (int depth : new int[] {1, 3, 10, 40}) {
                var a = new JacobianTheory(w, depth, 1 / Math.sqrt(p), closed);
                var b = new JacobianTheory(w, depth, 1 / Math.sqrt(p), discrete);
                assertEquals(a.edge(), b.edge(), 1e-8 * a.edge(), w + " L = " + depth + ": closed-form edge vs numeric minimum of M⁻¹");
            }
        }
    }

    @Test
    void edgesMatchReferenceTable() {
        // reference §3.5: λ_max(JJᵀ) at χ = 1 for L = 10 and 100 (rounded as printed)
        assertEquals(28.5, new JacobianTheory(WeightLaw.GAUSSIAN, 10, 1, new SlopeLaw.Bernoulli(1)).edge(), 0.05);
        assertEquals(Math.pow(101, 101) / Math.pow(100, 100), new JacobianTheory(WeightLaw.GAUSSIAN, 100, 1, new SlopeLaw.Bernoulli(1)).edge(), 1e-9);
        assertEquals(54.4, relu(WeightLaw.GAUSSIAN, 10).edge(), 0.05);
        assertEquals(543.7, relu(WeightLaw.GAUSSIAN, 100).edge(), 0.05);
        assertEquals(25.8, relu(WeightLaw.ORTHOGONAL, 10).edge(), 0.05);
        assertEquals(270.5, relu(WeightLaw.ORTHOGONAL, 100).edge(), 0.05);
        assertEquals(12.0, hardTanh(WeightLaw.ORTHOGONAL, 10, 1).edge(), 0.05);
        assertEquals(125.7, hardTanh(WeightLaw.ORTHOGONAL, 100, 1).edge(), 0.05);
        assertEquals(1.59, hardTanh(WeightLaw.ORTHOGONAL, 10, 0.25).edge(), 0.005);
        assertEquals(12.9, hardTanh(WeightLaw.ORTHOGONAL, 100, 0.25).edge(), 0.05);
        assertEquals(1.006, hardTanh(WeightLaw.ORTHOGONAL, 100, 1.0 / 16).edge(), 0.0005);
        assertEquals(1.0, new JacobianTheory(WeightLaw.ORTHOGONAL, 10, 1, new SlopeLaw.Bernoulli(1)).edge(), 1e-15);
    }

    @Test
    void marchenkoPasturAtDepthOne() {
        // L = 1, linear, Gaussian: JJᵀ = WWᵀ, density √(λ(4 − λ))/(2πλ) on [0, 4]
        SpectralDensity d = new JacobianTheory(WeightLaw.GAUSSIAN, 1, 1, new SlopeLaw.Bernoulli(1)).density(3000);
        for (double x : new double[] {0.05, 0.5, 1, 2, 3.5, 3.99}) {
            double exact = Math.sqrt(x * (4 - x)) / (2 * Math.PI * x);
            assertEquals(exact, d.at(x), 2e-3 * exact + 1e-6, "λ = " + x);
        }
        assertEquals(0, d.at(4.2), 1e-6);
    }

    @Test
    void densityIntegratesToOneMinusAtomWithMeanM1() {
        JacobianTheory[] cases = {relu(WeightLaw.GAUSSIAN, 4), relu(WeightLaw.ORTHOGONAL, 4), hardTanh(WeightLaw.ORTHOGONAL, 4, 0.25),
                new JacobianTheory(WeightLaw.GAUSSIAN, 2, 1, new SlopeLaw.Bernoulli(1)),
                JacobianTheory.of(WeightLaw.ORTHOGONAL, 8, MeanField.criticalInit(Activations.TANH, 0.5), 0.5),
                JacobianTheory.of(WeightLaw.GAUSSIAN, 4, MeanField.criticalInit(Activations.ERF, 0.5), 0.5)};
        for (JacobianTheory t : cases) {
            SpectralDensity d = t.density(3000);
            double atomMean = d.atoms().stream().mapToDouble(a -> a.location() * a.mass()).sum();
            assertEquals(1, d.mass() + d.atomMass(), 2e-3, t + " mass");
            assertEquals(t.meanEigenvalue(), d.mean() + atomMean, 2e-3 * t.meanEigenvalue(), t + " mean");
        }
    }

    @Test
    void orthogonalHardTanhHasAnAtomAtTheTopWhenShallow() {
        // q* = 1/4: p = 0.9545, L(1 − p) < 1 up to L = 21: a point mass 1 − L(1 − p) at σ_w^{2L}
        JacobianTheory t = hardTanh(WeightLaw.ORTHOGONAL, 8, 0.25);
        var top = t.atoms().getLast();
        assertEquals(Math.pow(t.sigmaW(), 16), top.location(), 1e-12);
        assertEquals(1 - 8 * (1 - 0.9544997361036414), top.mass(), 1e-12);
        assertTrue(t.continuousEdge() < top.location());
        assertTrue(hardTanh(WeightLaw.ORTHOGONAL, 22, 0.25).atoms().size() == 1); // only the atom at 0
    }

    @Test
    void densityMatchesReferenceValidationNumbers() {
        // reference §3.6 theory column (ReLU, L = 8, χ = 1), printed to 2 significant digits
        SpectralDensity g = relu(WeightLaw.GAUSSIAN, 8).density(3000);
        double[][] gauss = {{5.98, 0.0056}, {9.63, 0.0033}, {13.29, 0.0022}, {16.94, 0.0016}};
        for (double[] r : gauss) assertEquals(r[1], g.at(r[0]), 0.00006, "Gaussian λ = " + r[0]);
        SpectralDensity o = relu(WeightLaw.ORTHOGONAL, 8).density(3000);
        double[][] orth = {{3.44, 0.0174}, {5.39, 0.0113}, {7.35, 0.0082}};
        for (double[] r : orth) assertEquals(r[1], o.at(r[0]), 0.00006, "orthogonal λ = " + r[0]);
    }

    @Test
    void newtonContinuationAgreesWithPolynomialRoots() {
        for (WeightLaw w : WeightLaw.values()) {
            double p = 0.5;
            var poly = new JacobianTheory(w, 6, Math.sqrt(2), new SlopeLaw.Bernoulli(p));
            var newton = new JacobianTheory(w, 6, Math.sqrt(2), new SlopeLaw.Discrete(new double[] {0, 1}, new double[] {1 - p, p}));
            SpectralDensity a = poly.density(2000), b = newton.density(2000);
            double edge = poly.edge();
            for (double f : new double[] {0.01, 0.1, 0.3, 0.6, 0.9, 0.99}) {
                double x = f * edge;
                assertEquals(a.at(x), b.at(x), 1e-6 * a.at(x) + 1e-12, w + " at λ = " + x);
            }
            assertTrue(a.at(0.5 * edge) > 0);
        }
    }
}
