package dev.orbit.spectra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.orbit.ops.Activation;

class JacobianMonteCarloTest {
    static JacobianMonteCarlo.Config critical(Activation a, WeightLaw w, int depth, int width, double qStar, long seed) {
        MeanField.Init init = MeanField.criticalInit(a, qStar);
        return new JacobianMonteCarlo.Config(a, w, depth, width, init.sigmaW(), init.sigmaB(), qStar, seed);
    }

    @Test
    void linearOrthogonalNetworkIsExactlyIsometric() {
        var c = new JacobianMonteCarlo.Config(Activations.LINEAR, WeightLaw.ORTHOGONAL, 5, 64, 1.1, 0, 0.3, 7);
        var s = JacobianMonteCarlo.sample(c, true);
        double expected = Math.pow(1.1, 10);
        for (double e : s.eigenvalues()) assertEquals(expected, e, 1e-12 * expected);
        // NTK = Σ_l σ_w²‖x_{l−1}‖²/N · σ_w^{2(L−l)}·I and ‖x_{l−1}‖² = σ_w^{2(l−1)}‖x₀‖², ‖x₀‖²/N = q*/σ_w²
        double ntk = 5 * Math.pow(1.1, 8) * 0.3;
        for (double e : s.ntkEigenvalues()) assertEquals(ntk, e, 1e-12 * ntk);
        for (int l = 0; l < 5; l++) assertEquals(0.3 * Math.pow(1.21, l), s.lengths()[l], 1e-12);
    }

    @Test
    void reluZerosAreTheRankDeficitOfTheSmallestMask() {
        var s = JacobianMonteCarlo.sample(critical(Activations.RELU, WeightLaw.GAUSSIAN, 3, 120, 1, 3), false);
        double max = s.max();
        long tiny = java.util.Arrays.stream(s.eigenvalues()).filter(e -> e < 1e-20 * max).count();
        assertEquals(s.structuralZeros(), tiny);
        assertTrue(s.structuralZeros() > 30 && s.structuralZeros() < 90, "about half: " + s.structuralZeros());
    }

    @Test
    void smallNetworksFollowFreeProbabilityMoments() {
        // width 200, depth 4, 6 seeds. m₁ is a product of L per-layer factors that each fluctuate by O(1/√N) and
        // is held only to 25%; var/m₁² is normalised and much steadier (the reference validates with it): 12%.
        Object[][] cases = {{Activations.RELU, WeightLaw.GAUSSIAN, 1.0}, {Activations.RELU, WeightLaw.ORTHOGONAL, 1.0},
                {Activations.HARD_TANH, WeightLaw.ORTHOGONAL, 0.25}, {Activations.TANH, WeightLaw.ORTHOGONAL, 0.5}};
        for (Object[] k : cases) {
            Activation a = (Activation) k[0];
            WeightLaw w = (WeightLaw) k[1];
            double q = (double) k[2];
            double m1 = 0, var = 0;
            int seeds = 6;
            for (int seed = 0; seed < seeds; seed++) {
                var s = JacobianMonteCarlo.sample(critical(a, w, 4, 200, q, seed), false);
                m1 += s.mean() / seeds;
                var += s.varianceRatio() / seeds;
                // ReLU at (√2, 0) is marginal: the length random-walks, harmlessly (the slopes depend only on signs)
                if (a != Activations.RELU) for (double len : s.lengths()) assertEquals(q, len, 0.2 * q, "length stays near q*");
            }
            JacobianTheory t = JacobianTheory.of(w, 4, MeanField.criticalInit(a, q), q);
            assertEquals(t.meanEigenvalue(), m1, 0.25 * t.meanEigenvalue(), a + " " + w + " m₁");
            assertEquals(t.varianceRatio(), var, 0.12 * t.varianceRatio(), a + " " + w + " var/m₁²");
        }
    }
}
