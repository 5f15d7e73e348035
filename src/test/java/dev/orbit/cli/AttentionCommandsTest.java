package dev.orbit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class AttentionCommandsTest {
    static final String PRENORM = "src/test/resources/fixtures/transformer_prenorm.onnx";
    static final String POSTNORM = "src/test/resources/fixtures/transformer_postnorm.onnx";
    static final String DECODER = "src/test/resources/fixtures/decoder_rmsnorm.onnx";
    static final String TANH = "src/test/resources/fixtures/mlp_tanh.onnx";

    @TempDir
    Path tmp;

    @Test
    void symmetriesListsAttentionPairsAndStreams() {
        var pre = CliRun.of("symmetries", PRENORM);
        assertEquals(ExitCodes.OK, pre.exitCode(), pre.err());
        assertEquals(2, pre.out().split("query–key pair", -1).length - 1, pre.out());
        assertEquals(2, pre.out().split("value–output pair", -1).length - 1, pre.out());
        assertTrue(pre.out().contains("softmax scores") && pre.out().contains("subtracts the mean"), pre.out());
        var dec = CliRun.of("symmetries", DECODER);
        assertTrue(dec.out().contains("has a gain or bias") && dec.out().contains("1 of 1 residual streams rotatable"), dec.out());
        var post = CliRun.of("symmetries", POSTNORM);
        assertTrue(post.out().contains(": 0 of ") && post.out().contains("still fixed: "), "post-norm streams stay fixed after folding: " + post.out());
    }

    @Test
    void teleportMovesAttentionAndTheResidualStreamAndApplyUndoesIt() throws Exception {
        Path out = tmp.resolve("tp.onnx");
        Path el = tmp.resolve("el.json");
        var r = CliRun.of("teleport", PRENORM, "-o", out.toString(), "--attention", "--condition", "20", "--rotate-residual",
                "--rotation", "hadamard", "--seed", "4", "--save-element", el.toString(), "--json");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err() + r.out());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertTrue(json.get("verification").get("passed").asBoolean());
        assertEquals(20.0, json.get("attention_condition_number").asDouble(), 1e-6);
        assertTrue(json.get("norm_folding").get(0).asText().contains("5 norm gains folded"), json.toString());
        assertTrue(json.get("relative_weight_change").asDouble() > 0.5);
        assertTrue(Files.readString(el).contains("orbit-element/3"));
        Path back = tmp.resolve("back.onnx");
        var undo = CliRun.of("apply", out.toString(), el.toString(), "--inverse", "-o", back.toString());
        assertEquals(ExitCodes.OK, undo.exitCode(), undo.err() + undo.out());
        // the inverse restores the folded model, which computes the original function
        assertEquals(ExitCodes.OK, CliRun.of("verify", PRENORM, back.toString(), "--tolerance", "1e-5").exitCode());
    }

    @Test
    void impossibleMovesAreRefusedWithOneLine() {
        var post = CliRun.of("teleport", POSTNORM, "-o", tmp.resolve("p.onnx").toString(), "--rotate-residual");
        assertEquals(ExitCodes.USAGE, post.exitCode());
        assertTrue(post.cleanError() && post.err().contains("post-norm"), post.err());
        var mlp = CliRun.of("teleport", TANH, "-o", tmp.resolve("t.onnx").toString(), "--attention");
        assertEquals(ExitCodes.USAGE, mlp.exitCode());
        assertTrue(mlp.cleanError(), mlp.err());
        var kappa = CliRun.of("teleport", PRENORM, "-o", tmp.resolve("k.onnx").toString(), "--attention", "--condition", "0.5");
        assertEquals(ExitCodes.USAGE, kappa.exitCode());
        assertFalse(Files.exists(tmp.resolve("p.onnx")));
    }

    @Test
    void rotateReducesTheLargestActivationAndReportsQuantisation() throws Exception {
        Path out = tmp.resolve("rot.onnx");
        var r = CliRun.of("rotate", DECODER, "-o", out.toString(), "--objective", "outliers", "--calibration", "16", "--candidates", "4", "--json");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err() + r.out());
        JsonNode json = new ObjectMapper().readTree(r.out());
        JsonNode s = json.get("streams").get(0);
        assertTrue(s.get("max_activation_after").asDouble() < 0.5 * s.get("max_activation_before").asDouble(),
                "the planted outlier channels are spread: " + s);
        assertEquals(9, s.get("candidates").size(), "identity + 4 Hadamard + 4 Haar");
        JsonNode q = json.get("quantisation");
        assertEquals("rotated", q.get(2).get("label").asText());
        assertTrue(q.get(2).get("activation_int8").asDouble() < q.get(0).get("activation_int8").asDouble(), q.toString());
        assertTrue(json.get("verification").get("passed").asBoolean());
        for (String f : new String[] {"rot.onnx", "rot.element.json", "rot.rotate.json", "rot.rotate.html"}) assertTrue(Files.exists(tmp.resolve(f)), f);
        assertTrue(Files.readString(tmp.resolve("rot.rotate.html")).contains("<svg"));
        assertEquals(ExitCodes.OK, CliRun.of("verify", DECODER, out.toString(), "--tolerance", "1e-5").exitCode());
    }

    @Test
    void rotateBadInputs() throws Exception {
        var post = CliRun.of("rotate", POSTNORM, "-o", tmp.resolve("p.onnx").toString(), "--calibration", "4", "--candidates", "1");
        assertEquals(ExitCodes.USAGE, post.exitCode());
        assertTrue(post.cleanError(), post.err());
        var missing = CliRun.of("rotate", tmp.resolve("nope.onnx").toString(), "-o", tmp.resolve("x.onnx").toString());
        assertEquals(ExitCodes.BAD_INPUT, missing.exitCode());
        assertTrue(missing.cleanError(), missing.err());
        assertEquals(ExitCodes.USAGE, CliRun.of("rotate", DECODER, "-o", tmp.resolve("y.onnx").toString(), "--calibration", "0").exitCode());
        assertEquals(ExitCodes.USAGE, CliRun.of("rotate", DECODER, "-o", tmp.resolve("y.onnx").toString(), "--objective", "speed").exitCode());
        Path copy = tmp.resolve("copy.onnx");
        Files.copy(Path.of(DECODER), copy);
        var same = CliRun.of("rotate", copy.toString(), "-o", copy.toString());
        assertEquals(ExitCodes.USAGE, same.exitCode());
        assertTrue(same.err().contains("overwrite"));
    }
}
