package dev.orbit.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.orbit.Inputs;
import dev.orbit.Orbit;
import dev.orbit.graph.Model;
import dev.orbit.io.onnx.OnnxImporter;
import dev.orbit.symmetry.GroupElement;
import dev.orbit.symmetry.NormFolding;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.symmetry.SymmetryAnalysis;
import dev.orbit.tensor.NdArray;

/**
 * Rotated residual streams (`orbit teleport --rotate-residual`): the original file against a copy with norm gains
 * folded, moved (permutations, scales, per-head GL(d) κ = 10) and every rotatable stream rotated by a Haar Q, in float64
 * and stored in float32. canonical(copy) equals canonical(original) per tensor (‖Δ‖/‖C‖) within the attention bar of
 * {@link CanonicalFormPropertyTest} (8·κ·2⁻²⁴ ≈ 4.8e-6), and the canonical copy verifies against the original in ONNX
 * Runtime. In the fixtures the stream (width 32) is not spanned by its 16 first writers and 10 last readers: its basis
 * comes from the invariant products ({@link StreamInvariants#invariant}); the zoo models' embeddings span theirs.
 */
class CanonicalRotationTest {
    @ParameterizedTest
    @ValueSource(strings = {"fixtures/decoder_rmsnorm", "fixtures/transformer_prenorm", "zoo/gpt2_op13", "zoo/llama_op17"})
    void rotatedCopiesHaveOneCanonicalForm(String name) {
        Model m = OnnxImporter.read(Path.of("src/test/resources/" + name + ".onnx"));
        Model base = NormFolding.fold(m).model();
        SymmetryAnalysis a = SpaceAnalyzer.analyze(base);
        assertTrue(!a.rotatableStreams().isEmpty(), name + " has no rotatable stream after folding");
        CanonicalForm.Result r0 = CanonicalForm.of(m);
        assertTrue(r0.streamsRotated(), name + ": streams not canonicalised " + r0.notes());
        assertEquals(0, r0.degenerateBases(), name + ": degenerate bases");
        double bar = 8 * MembershipTest.KAPPA * CanonicalFormPropertyTest.FLOAT32_EPSILON;
        long seeds = name.startsWith("fixtures/") ? 3 : 1;
        for (long seed = 1; seed <= seeds; seed++) {
            GroupElement g = RotatedMoves.rotated(a, MembershipTest.move(a, seed), seed);
            Model copy = OrbitAction.apply(base, a, g);
            CanonicalForm.Result r1 = CanonicalForm.of(copy);
            double worst = worstRelativeDifference(r0.model(), r1.model(), name + " seed " + seed);
            System.out.printf("canonical rotation %s seed %d: max relative difference %.3g (bar %.3g)%n", name, seed, worst, bar);
            assertTrue(worst <= bar, name + " seed " + seed + ": canonical forms differ by " + worst + " > " + bar);
            var check = Orbit.of(m, name).compareWith(Orbit.of(r1.model(), "canonical"), Inputs.random(4), dev.orbit.verify.Tolerance.MOVE);
            assertTrue(check.passedAndFinite(), name + " seed " + seed + ": " + check.toText());
        }
    }

    /** max over tensors of ‖x − y‖/‖x‖ (both models must have the same floating parameters). */
    static double worstRelativeDifference(Model c0, Model c1, String what) {
        double worst = 0;
        for (var e : c0.graph().parameters().entrySet()) {
            if (!e.getValue().dtype().isFloating()) continue;
            NdArray other = c1.graph().parameter(e.getKey());
            assertNotNull(other, what + ": " + e.getKey() + " missing from the copy's canonical form");
            double[] x = e.getValue().toDoubleArray();
            double[] y = other.toDoubleArray();
            assertEquals(x.length, y.length, what + ": " + e.getKey());
            double d = 0;
            double n = 0;
            for (int i = 0; i < x.length; i++) {
                d += (x[i] - y[i]) * (x[i] - y[i]);
                n += x[i] * x[i];
            }
            worst = Math.max(worst, n == 0 ? Math.sqrt(d) : Math.sqrt(d / n));
        }
        return worst;
    }
}
