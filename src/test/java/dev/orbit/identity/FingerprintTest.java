package dev.orbit.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.orbit.Moves;
import dev.orbit.Network;
import dev.orbit.Orbit;
import dev.orbit.graph.Model;
import dev.orbit.symmetry.OrbitAction;
import dev.orbit.symmetry.Sampling;
import dev.orbit.symmetry.SpaceAnalyzer;
import dev.orbit.symmetry.SymmetryAnalysis;
import dev.orbit.tensor.NdArray;

class FingerprintTest {
    static Network load(String name) { return Orbit.load(Path.of("src/test/resources/" + name + ".onnx")); }

    /**
     * Random orbit copies: a teleport with permutations (rewrite nodes where the activation needs them; in memory, its node
     * list interleaves resnet18's parallel branches differently), a keyed copy, a float64 group element.
     */
    @ParameterizedTest
    @ValueSource(strings = {"fixtures/mlp_relu", "fixtures/mlp_tanh", "fixtures/resnet_block", "fixtures/densenet_block",
            "fixtures/cnn_bn", "zoo/gpt2_op13", "zoo/mobilenet_v3_small_op13", "zoo/resnet18_op13"})
    void orbitCopiesShareTheHashAndScoreOne(String name) {
        Network n = load(name);
        Fingerprint f = n.fingerprint();
        assertTrue(f.exact(), name + ": " + f.notes());
        Model m = n.ir();
        SymmetryAnalysis a = SpaceAnalyzer.analyze(m);
        Network[] copies = {
                n.move(Moves.teleport(Sampling.Kind.INTER, 0.9).permute().seed(11)).network(),
                n.license(LicensingTest.KEY, "ann"),
                Orbit.of(OrbitAction.apply(m, a, MembershipTest.move(a, 7)), "g·M")};
        for (Network copy : copies) {
            Fingerprint g = copy.fingerprint();
            Fingerprint.Comparison c = Fingerprint.compare(f, g);
            assertTrue(c.sameHash(), name + ": " + f.digest() + " against " + g.digest());
            assertEquals(1.0, c.score());
            assertTrue(c.spectralSimilarity() > 1 - 1e-6, name + ": spectral similarity " + c.spectralSimilarity());
        }
    }

    /** The opset exports of one model decompose ops differently (LayerNorm, fused projections): the hash does not see it. */
    @Test
    void opsetExportsOfOneModelShareTheHash() {
        Fingerprint op13 = load("zoo/bert_op13").fingerprint();
        for (String other : new String[] {"zoo/bert_op9", "zoo/bert_op17"}) {
            Fingerprint f = load(other).fingerprint();
            assertEquals(op13.digest(), f.digest(), other);
        }
    }

    @Test
    void unrelatedModelsDifferAndScoreLower() {
        Fingerprint relu = load("fixtures/mlp_relu").fingerprint();
        Fingerprint tanh = load("fixtures/mlp_tanh").fingerprint();
        Fingerprint resnet = load("fixtures/resnet_block").fingerprint();
        for (Fingerprint[] p : new Fingerprint[][] {{relu, tanh}, {relu, resnet}, {tanh, resnet}}) {
            Fingerprint.Comparison c = Fingerprint.compare(p[0], p[1]);
            assertFalse(c.sameHash());
            assertNotEquals(p[0].gridA(), p[1].gridA());
            assertNotEquals(p[0].gridB(), p[1].gridB());
            assertTrue(c.score() < 0.9, "score " + c.score());
        }
    }

    /** 1 % multiplicative weight noise leaves the orbit: the hash changes, the spectra stay close. */
    @Test
    void aNoisyCopyIsNearButNotADuplicate() {
        Network n = load("fixtures/mlp_relu");
        Model m = n.ir();
        var rng = new java.util.SplittableRandom(3);
        var params = new java.util.LinkedHashMap<String, NdArray>();
        for (var e : m.graph().parameters().entrySet()) {
            double[] x = e.getValue().toDoubleArray();
            for (int i = 0; i < x.length; i++) x[i] *= 1 + 0.01 * rng.nextGaussian();
            params.put(e.getKey(), NdArray.ofDoubles(x, e.getValue().shape()).to(e.getValue().dtype()));
        }
        Network noisy = Orbit.of(m.withGraph(m.graph().withParameters(params)), "noisy");
        Fingerprint.Comparison c = Fingerprint.compare(n.fingerprint(), noisy.fingerprint());
        assertFalse(c.sameHash());
        System.out.println("FINGERPRINT-NOISY mlp_relu 1% noise: spectral similarity " + c.spectralSimilarity());
        assertTrue(c.score() > 0.99 && c.score() < 1, "score " + c.score());
    }
}
