package dev.orbit.spectra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.orbit.symmetry.Sampling;
import dev.orbit.symmetry.SpaceAnalyzer;

/**
 * Measured, not assumed: permutations leave every metric of the bundled model where it was; a teleport with r = 0.9
 * moves the scale metrics and the shape of the ESD; the balanced form's metrics do not depend on the starting point.
 */
class OrbitSpectraTest {
    @Test
    void permutationsChangeNothingTeleportsMoveTheSpectrumBalancingUndoesIt() {
        var model = BalancedPointTest.BUNDLED;
        var original = ModelSpectrum.of(model, EsdOptions.DEFAULT);
        var balanced = ModelSpectrum.of(BalancedPoint.of(model, SpaceAnalyzer.analyze(model)).model(), EsdOptions.DEFAULT);
        var study = OrbitSpectra.run(model, original, balanced,
                new OrbitSpectra.Config(2, Sampling.Kind.INTER, 0.9, 0, true, EsdOptions.DEFAULT), k -> {});
        assertEquals(3 * 17, study.metrics().size());
        assertTrue(study.meanWeightChange() > 1.0, "r = 0.9 moves the weights by more than 100 %: " + study.meanWeightChange());
        for (var s : study.metrics()) {
            assertEquals(OrbitSpectra.Verdict.INVARIANT, s.permutationVerdict(), s.toString());
            assertTrue(s.permutationMaxDelta() < 1e-9 * Math.max(1, Math.abs(s.original())), s.toString());
        }
        // every layer's norms, λ_max and α move: each hidden neuron is scaled by its own factor
        for (String metric : Set.of("log_norm", "log_spectral_norm", "stable_rank", "alpha", "alpha_weighted")) {
            assertTrue(study.metrics().stream().filter(s -> s.metric().equals(metric))
                    .allMatch(s -> s.teleportVerdict() == OrbitSpectra.Verdict.MOVED), metric);
        }
        // a scaling keeps the rank; the balanced form is an orbit invariant except for the random shuffle's draw
        assertTrue(study.metrics().stream().filter(s -> s.metric().equals("matrix_rank"))
                .allMatch(s -> s.teleportVerdict() == OrbitSpectra.Verdict.INVARIANT));
        for (var s : study.metrics()) {
            if (s.metric().equals("rand_softrank")) continue;
            assertEquals(OrbitSpectra.Verdict.INVARIANT, s.balancedVerdict(), s.toString());
        }
    }
}
