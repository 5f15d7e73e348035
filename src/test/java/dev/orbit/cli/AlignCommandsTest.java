package dev.orbit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** orbit align and orbit merge: outputs, exit codes, one-line errors (docs/ALIGNMENT.md). */
class AlignCommandsTest {
    static final String MLP = "src/main/resources/models/mnist_mlp.onnx";

    @Test
    void alignsAPermutedCopyBackAndVerifiesIt(@TempDir Path dir) {
        assertEquals(ExitCodes.OK, CliRun.of("permute", MLP, "-o", dir + "/p.onnx", "--seed", "3").exitCode());
        var r = CliRun.of("align", MLP, dir + "/p.onnx", "-o", dir + "/a.onnx", "--json");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertTrue(r.out().contains("\"distance_after\"") && r.out().contains("\"passed\""), r.out());
        assertTrue(Files.exists(dir.resolve("a.onnx")));
        // a permuted copy comes back exactly: the aligned file equals A's weights (distance printed ≈ 0)
        var json = readJson(r.out());
        assertTrue(((Number) json.get("distance_after")).doubleValue() < 1e-6, r.out());
    }

    @Test
    void mergesWithRepairAndResetsBatchNorm(@TempDir Path dir) {
        var r = CliRun.of("merge", MLP, MLP, "-o", dir + "/m.onnx", "--repair", "--train-samples", "100");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertTrue(r.out().contains("REPAIRed"), r.out());
        String cnn = "src/test/resources/fixtures/cnn_bn.onnx";
        var bad = CliRun.of("merge", cnn, cnn, "-o", dir + "/c.onnx", "--repair");
        assertEquals(ExitCodes.USAGE, bad.exitCode());
        assertTrue(bad.cleanError(), bad.err());
        assertFalse(Files.exists(dir.resolve("c.onnx")));
    }

    @Test
    void userMistakesAreOneLineErrorsWithTheirCodes(@TempDir Path dir) {
        var method = CliRun.of("align", MLP, MLP, "-o", dir + "/x.onnx", "--method", "nope");
        assertEquals(ExitCodes.USAGE, method.exitCode());
        assertTrue(method.cleanError(), method.err());
        var alpha = CliRun.of("merge", MLP, MLP, "-o", dir + "/x.onnx", "--alpha", "1.5");
        assertEquals(ExitCodes.USAGE, alpha.exitCode());
        var other = CliRun.of("align", MLP, "src/test/resources/fixtures/mlp_relu.onnx", "-o", dir + "/x.onnx");
        assertEquals(ExitCodes.BAD_INPUT, other.exitCode());
        assertTrue(other.cleanError(), other.err());
        var digits = CliRun.of("align", "src/test/resources/fixtures/resnet_block.onnx", "src/test/resources/fixtures/resnet_block.onnx",
                "-o", dir + "/x.onnx", "--method", "activations");
        assertEquals(ExitCodes.BAD_INPUT, digits.exitCode(), digits.err());
        assertTrue(digits.cleanError(), digits.err());
        assertFalse(Files.exists(dir.resolve("x.onnx")));
    }

    private static java.util.Map<?, ?> readJson(String s) {
        try {
            return dev.orbit.report.Json.mapper().readValue(s, java.util.Map.class);
        } catch (Exception e) {
            throw new AssertionError(s, e);
        }
    }
}
