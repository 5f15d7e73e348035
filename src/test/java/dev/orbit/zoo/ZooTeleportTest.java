package dev.orbit.zoo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.orbit.Inputs;
import dev.orbit.Moves;
import dev.orbit.Network;
import dev.orbit.Orbit;
import dev.orbit.symmetry.MatrixSampling;
import dev.orbit.symmetry.Sampling;
import dev.orbit.verify.NoiseCheck;
import dev.orbit.verify.NoiseRule;
import dev.orbit.verify.VerifyReport;

/**
 * Zoo models teleport (inter r = 0.9 with permutations; attention GL(d) where the expectation has attention pairs;
 * residual rotation where it says the stream rotates after folding) and verify in ONNX Runtime under the noise rule.
 * A few files in CI, one per kind of structure; scripts/zoo_teleport.sh runs every file (the table in docs/ZOO.md).
 */
class ZooTeleportTest {
    static List<String> files() {
        return List.of("resnet18_op13", "tf_cnn_op13", "mlp_layernorm_op13", "paddle_attention_op11", "gpt2_op17", "llama_op17");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void teleportsAndVerifiesUnderTheNoiseRule(String stem) throws Exception {
        Path model = Zoo.DIR.resolve(stem + ".onnx");
        String expected = Files.readString(Zoo.DIR.resolve(stem + ".expected.json"));
        var move = Moves.teleport(Sampling.Kind.INTER, 0.9).permute().seed(11);
        if (expected.contains("\"QUERY_KEY\"")) move = move.attention(Moves.DEFAULT_CONDITION);
        if (expected.contains("\"rotatable_after_folding\": true")) move = move.rotateResidual(MatrixSampling.Rotation.HAAR);
        Network n = Orbit.load(model);
        var moved = n.move(move);
        assertTrue(moved.weightChangePerTensor().changed() > 0, stem + ": nothing moved");
        VerifyReport r = moved.verify(Inputs.random(8), NoiseRule.MOVE);
        double worst = r.noise().stream().mapToDouble(NoiseCheck::ratio).max().orElseThrow();
        System.out.printf("zoo teleport %-24s worst moved/own %.2f (%s)%n", stem, worst, moved.description().lines().findFirst().orElse(""));
        assertTrue(r.passedAndFinite(), stem + ":\n" + moved.description() + "\n" + r.toText());
    }
}
