package dev.orbit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** teleport, rotate and symmetries on Hugging Face checkpoint folders, end to end through the command line. */
class CheckpointCommandsTest {
    static final Path FIXTURES = Path.of("src/test/resources/checkpoints");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    static JsonNode json(CliRun r) throws IOException {
        return JSON.readTree(r.out());
    }

    @Test
    void teleportsAShardedBf16CheckpointInItsOwnLayout() throws IOException {
        Path in = FIXTURES.resolve("mistral"), out = tmp.resolve("moved");
        CliRun r = CliRun.of("teleport", in.toString(), "-o", out.toString(), "--permute", "--attention", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode v = json(r).get("verification");
        assertEquals("bf16", v.get("precision").asText());
        assertTrue(v.get("passed").asBoolean());
        assertTrue(v.get("moved_error").asDouble() > 1e-5, "bf16 re-rounding is there: " + v);
        assertTrue(v.get("moved_error").asDouble() <= v.get("bound").asDouble());
        assertArrayEquals(Files.readAllBytes(in.resolve("model.safetensors.index.json")), Files.readAllBytes(out.resolve("model.safetensors.index.json")));
        assertEquals(Files.size(in.resolve("model-00001-of-00002.safetensors")), Files.size(out.resolve("model-00001-of-00002.safetensors")));
        assertEquals(4, json(r).get("moves").size());
    }

    @Test
    void f32OutputIsHeldToTheFloat32NoiseRuleLayerByLayer() throws IOException {
        Path out = tmp.resolve("rotated");
        CliRun r = CliRun.of("teleport", FIXTURES.resolve("mistral").toString(), "-o", out.toString(), "--rotate-residual", "--rotation", "HADAMARD",
                "--dtype", "f32", "--layer-by-layer", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode v = json(r).get("verification");
        assertEquals("float32", v.get("precision").asText());
        assertTrue(v.get("passed").asBoolean(), v.toString());
        assertEquals(3, v.get("layer_errors").size(), "embedding + 2 blocks");
        assertTrue(Files.readString(out.resolve("config.json")).contains("\"torch_dtype\" : \"float32\""));
    }

    @Test
    void aMoveThatBreaksTheBoundLeavesNothingBehind() throws IOException {
        Path out = tmp.resolve("broken");
        // κ = 10⁶ value maps amplify bf16 re-rounding far beyond the bound (measured 1.5 against 3e-2)
        CliRun r = CliRun.of("teleport", FIXTURES.resolve("mistral").toString(), "-o", out.toString(), "--attention", "--condition", "1e6");
        assertEquals(ExitCodes.VERIFY_FAILED, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("not written"), r.out());
        assertFalse(Files.exists(out));
        try (var files = Files.list(tmp)) {
            assertEquals(0, files.count(), "no temporary folder left");
        }
    }

    @Test
    void refusalsAreOneLine() {
        Path gpt2 = FIXTURES.resolve("gpt2");
        CliRun r = CliRun.of("teleport", gpt2.toString(), "-o", tmp.resolve("a").toString(), "--rotate-residual");
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertTrue(r.cleanError() && r.err().contains("LayerNorm"), r.err());
        r = CliRun.of("teleport", gpt2.toString(), "-o", tmp.resolve("b").toString());
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertTrue(r.cleanError() && r.err().contains("--permute"), r.err());
        r = CliRun.of("teleport", gpt2.toString(), "-o", tmp.resolve("c").toString(), "--permute", "--save-element", tmp.resolve("e.json").toString());
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertTrue(r.cleanError(), r.err());
        r = CliRun.of("teleport", gpt2.toString(), "-o", tmp.resolve("d").toString(), "--permute", "--dtype", "int8");
        assertEquals(ExitCodes.USAGE, r.exitCode());
        r = CliRun.of("rotate", FIXTURES.resolve("bert").toString(), "-o", tmp.resolve("e").toString());
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertTrue(r.cleanError(), r.err());
        try (var files = Files.list(tmp)) {
            assertEquals(0, files.count());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void gpt2AndBertMovePermutationsAndAttention() throws IOException {
        for (String name : new String[] {"gpt2", "bert"}) {
            CliRun r = CliRun.of("teleport", FIXTURES.resolve(name).toString(), "-o", tmp.resolve(name).toString(), "--permute", "--attention", "--json");
            assertEquals(0, r.exitCode(), name + ": " + r.err());
            assertTrue(json(r).get("verification").get("passed").asBoolean());
        }
    }

    @Test
    void symmetriesOfAFolder() throws IOException {
        CliRun r = CliRun.of("symmetries", FIXTURES.resolve("gpt2").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("fixed  residual stream"), r.out());
        assertTrue(r.out().contains("free   MLP channels (128)"), r.out());
        r = CliRun.of("symmetries", FIXTURES.resolve("llama").toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode s = json(r).get("spaces");
        for (JsonNode space : s) assertTrue(space.get("free").asBoolean(), space.toString());
    }

    @Test
    void rotateForOutliersOnRandomTokensAndOnATokenFile() throws IOException {
        Path out = tmp.resolve("rot");
        CliRun r = CliRun.of("rotate", FIXTURES.resolve("qwen2").toString(), "-o", out.toString(), "--calibration", "4", "--candidates", "3", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = json(r);
        double best = Double.MAX_VALUE;
        java.util.Set<Double> hadamards = new java.util.HashSet<>();
        for (JsonNode c : j.get("candidates")) {
            best = Math.min(best, c.get("max_abs").asDouble());
            if (c.get("kind").asText().equals("HADAMARD")) hadamards.add(c.get("max_abs").asDouble());
        }
        assertEquals(best, j.get("chosen").get("max_abs").asDouble());
        assertEquals(3, hadamards.size(), "Hadamard seeds differ (signs on the input side)");
        assertTrue(j.get("verification").get("passed").asBoolean());
        assertTrue(Files.readString(out.resolve("config.json")).contains("\"tie_word_embeddings\" : false"), "qwen2 is tied: written untied");

        Path ids = tmp.resolve("ids.txt");
        Files.writeString(ids, "1 2 3 4 5 6\n7, 8, 9, 10, 11\n");
        r = CliRun.of("rotate", FIXTURES.resolve("llama").toString(), "-o", tmp.resolve("rot2").toString(), "--token-ids", ids.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(5, json(r).get("calibration").get("tokens").asInt(), "cut to the shortest line");
        Files.writeString(ids, "1 2 x\n");
        r = CliRun.of("rotate", FIXTURES.resolve("llama").toString(), "-o", tmp.resolve("rot3").toString(), "--token-ids", ids.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.exitCode());
        assertTrue(r.cleanError(), r.err());
        Files.writeString(ids, "1 2 99999\n");
        r = CliRun.of("rotate", FIXTURES.resolve("llama").toString(), "-o", tmp.resolve("rot4").toString(), "--token-ids", ids.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.exitCode());
        assertTrue(r.cleanError(), r.err());
    }
}
