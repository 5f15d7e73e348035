package dev.orbit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.orbit.report.Json;

/** orbit fingerprint, orbit scan and orbit sweep on the command line: results, groups, and one-line errors. */
class SweepCommandsTest {
    @TempDir
    Path tmp;

    @Test
    void scanGroupsOrbitCopiesAndListsUnreadableFiles() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("hub"));
        Path relu = dir.resolve("relu.onnx");
        Files.copy(Path.of("src/test/resources/fixtures/mlp_relu.onnx"), relu);
        Files.copy(Path.of("src/test/resources/fixtures/mlp_tanh.onnx"), dir.resolve("tanh.onnx"));
        Files.write(tmp.resolve("key.bin"), "a secret key of thirty-two bytes".getBytes());
        Files.createDirectories(dir.resolve("sub"));
        assertEquals(ExitCodes.OK, CliRun.of("permute", relu.toString(), "--seed", "4", "-o", dir.resolve("relu_permuted.onnx").toString()).exitCode());
        assertEquals(ExitCodes.OK, CliRun.of("license", relu.toString(), "--key", tmp + "/key.bin", "--id", "ann", "-o",
                dir.resolve("sub/relu_ann.onnx").toString()).exitCode());
        Files.writeString(dir.resolve("broken.onnx"), "not a model");
        Files.writeString(dir.resolve("weights.safetensors"), "{}");

        var r = CliRun.of("scan", dir.toString(), "-o", tmp.resolve("out").toString(), "--threads", "2");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertTrue(r.err().contains("tasks done: 6/6"), r.err());
        JsonNode result = Json.mapper().readTree(tmp.resolve("out/result.json").toFile());
        assertEquals(1, result.get("groups").size(), result.toPrettyString());
        List<String> group = Json.mapper().convertValue(result.get("groups").get(0), List.class);
        assertEquals(List.of(relu.toString(), dir.resolve("relu_permuted.onnx").toString(), dir.resolve("sub/relu_ann.onnx").toString()), group);
        assertEquals(1, result.get("unreadable").size());
        assertTrue(result.get("unreadable").get(0).get("file").asText().endsWith("broken.onnx"));
        assertEquals(1, result.get("skipped").size());
        assertEquals(0, result.get("near").size(), "relu and tanh are not near duplicates");
        assertTrue(Files.exists(tmp.resolve("out/report.html")) && Files.exists(tmp.resolve("out/sweep.json")));
    }

    @Test
    void scanOfAListResolvesPathsAgainstTheListsFolder() throws Exception {
        Files.copy(Path.of("src/test/resources/fixtures/mlp_relu.onnx"), tmp.resolve("a.onnx"));
        Files.writeString(tmp.resolve("list.txt"), "# models\na.onnx\nmissing.onnx\n");
        var r = CliRun.of("scan", tmp.resolve("list.txt").toString(), "-o", tmp.resolve("out").toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        JsonNode result = Json.mapper().readTree(tmp.resolve("out/result.json").toFile());
        assertEquals(1, result.get("models").size());
        assertEquals("not a readable file", result.get("unreadable").get(0).get("error").asText());
    }

    @Test
    void mistakesAreOneLine() {
        var missing = CliRun.of("scan", tmp.resolve("nothing").toString(), "-o", tmp.resolve("out").toString());
        assertEquals(ExitCodes.BAD_INPUT, missing.exitCode());
        assertTrue(missing.cleanError(), missing.err());
        var spark = CliRun.of("sweep", "teleport-training", "--quick", "-o", tmp.resolve("s").toString(), "--engine", "spark");
        assertEquals(ExitCodes.USAGE, spark.exitCode());
        assertTrue(spark.cleanError() && spark.err().contains("orbit-spark.jar"), spark.err());
        var neither = CliRun.of("fingerprint");
        assertEquals(ExitCodes.USAGE, neither.exitCode());
        assertTrue(neither.cleanError(), neither.err());
    }

    @Test
    void fingerprintCompareGivesAScore() {
        var r = CliRun.of("fingerprint", "--compare", "src/test/resources/fixtures/mlp_relu.onnx", "src/test/resources/fixtures/mlp_relu.onnx", "--json");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertTrue(r.out().contains("\"score\" : 1.0") && r.out().contains("\"same_hash\" : true"), r.out());
    }
}
