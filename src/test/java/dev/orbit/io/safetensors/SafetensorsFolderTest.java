package dev.orbit.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sharded checkpoints: the index, its agreement with the shards, and shard names confined to the folder. */
class SafetensorsFolderTest {
    static final Path MISTRAL = Path.of("src/test/resources/checkpoints/mistral");

    @TempDir
    Path tmp;

    @Test
    void opensAShardedCheckpoint() throws IOException {
        try (var folder = SafetensorsFolder.open(MISTRAL)) {
            assertEquals(List.of("model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"), folder.shardNames());
            assertEquals(folder.index().orElseThrow().weightMap().size(), folder.names().size());
            assertEquals("model-00001-of-00002.safetensors", folder.shardOf("model.embed_tokens.weight"));
            assertEquals("model-00002-of-00002.safetensors", folder.shardOf("lm_head.weight"));
            assertEquals(ElementType.BF16, folder.entry("lm_head.weight").type());
            assertEquals(folder.index().orElseThrow().totalSize(), folder.tensorBytes());
            // an index written the Hugging Face way from the same weight map is byte-identical
            ShardIndex again = ShardIndex.create(folder.index().orElseThrow().weightMap(), folder.tensorBytes());
            assertArrayEquals(Files.readAllBytes(MISTRAL.resolve(SafetensorsFolder.INDEX)), again.encoded());
        }
    }

    @Test
    void opensASingleFileCheckpoint() {
        try (var folder = SafetensorsFolder.open(Path.of("src/test/resources/checkpoints/llama"))) {
            assertTrue(folder.index().isEmpty());
            assertEquals(List.of(SafetensorsFolder.SINGLE), folder.shardNames());
            assertArrayEquals(new long[] {96, 64}, folder.entry("lm_head.weight").shape());
        }
    }

    /** A copy of the mistral checkpoint whose index maps every tensor through {@code rename}. */
    private Path withIndex(Map<String, String> replacements) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("ckpt" + System.nanoTime()));
        for (String f : List.of("model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors", "config.json")) {
            Files.copy(MISTRAL.resolve(f), dir.resolve(f));
        }
        String index = Files.readString(MISTRAL.resolve(SafetensorsFolder.INDEX));
        for (var kv : replacements.entrySet()) index = index.replace(kv.getKey(), kv.getValue());
        Files.writeString(dir.resolve(SafetensorsFolder.INDEX), index);
        return dir;
    }

    private static String refused(Path dir, String expected) {
        // path refusals come from dev.orbit.io.ConfinedFolder (UnsafePathException), the rest from the safetensors reader
        var e = assertThrows(dev.orbit.graph.ModelFormatException.class, () -> SafetensorsFolder.open(dir).close());
        assertTrue(e.getMessage().contains(expected), "message should mention '" + expected + "': " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void shardNamesWithDotDotAreRefused() throws IOException {
        Files.writeString(tmp.resolve("secret.safetensors"), "secret");
        Path dir = withIndex(Map.of("\"model-00002-of-00002.safetensors\"", "\"../secret.safetensors\""));
        refused(dir, "shard: '../secret.safetensors' has a '..' component");
        Path dir2 = withIndex2("sub/../../secret.safetensors");
        refused(dir2, "has a '..' component");
    }

    private Path withIndex2(String name) throws IOException {
        Path dir = tmp.resolve("ckpt2");
        Files.createDirectories(dir);
        for (String f : List.of("model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors")) Files.copy(MISTRAL.resolve(f), dir.resolve(f));
        Files.writeString(dir.resolve(SafetensorsFolder.INDEX),
                Files.readString(MISTRAL.resolve(SafetensorsFolder.INDEX)).replace("\"model-00002-of-00002.safetensors\"", "\"" + name + "\""));
        return dir;
    }

    @Test
    void absoluteShardNamesAreRefused() throws IOException {
        Path outside = tmp.resolve("outside.safetensors");
        Files.copy(MISTRAL.resolve("model-00002-of-00002.safetensors"), outside);
        refused(withIndex(Map.of("\"model-00002-of-00002.safetensors\"", "\"" + outside.toAbsolutePath() + "\"")), "is an absolute path");
    }

    @Test
    void symlinksResolvingOutsideAreRefused() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("elsewhere")).resolve("real.safetensors");
        Files.copy(MISTRAL.resolve("model-00002-of-00002.safetensors"), outside);
        Path dir = withIndex(Map.of("\"model-00002-of-00002.safetensors\"", "\"link.safetensors\""));
        Files.createSymbolicLink(dir.resolve("link.safetensors"), outside);
        refused(dir, "outside the checkpoint folder");
        // the same link target inside the folder is fine
        Files.delete(dir.resolve("link.safetensors"));
        Files.createSymbolicLink(dir.resolve("link.safetensors"), dir.resolve("model-00002-of-00002.safetensors"));
        try (var f = SafetensorsFolder.open(dir)) {
            assertEquals("link.safetensors", f.shardOf("lm_head.weight"));
        }
    }

    @Test
    void aSymlinkedSingleFileOrIndexOutsideIsRefused() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("single"));
        Path outside = tmp.resolve("model.safetensors");
        Files.copy(Path.of("src/test/resources/checkpoints/llama/model.safetensors"), outside);
        Files.createSymbolicLink(dir.resolve(SafetensorsFolder.SINGLE), outside);
        refused(dir, "outside the checkpoint folder");
        Path dir2 = Files.createDirectories(tmp.resolve("indexed"));
        Files.createSymbolicLink(dir2.resolve(SafetensorsFolder.INDEX), MISTRAL.resolve(SafetensorsFolder.INDEX).toAbsolutePath());
        refused(dir2, "outside the checkpoint folder");
    }

    @Test
    void indexAndShardsMustAgree() throws IOException {
        refused(withIndex(Map.of("\"lm_head.weight\": \"model-00002", "\"lm_head.weight\": \"model-00001")),
                "the index puts tensor 'lm_head.weight' in model-00001-of-00002.safetensors, which does not hold it");
        Path dir = withIndex(Map.of("    \"lm_head.weight\": \"model-00002-of-00002.safetensors\",\n", ""));
        refused(dir, "holds tensor 'lm_head.weight', which the index does not list");
        refused(withIndex(Map.of("model-00002-of-00002.safetensors\"", "model-00003-of-00002.safetensors\"")), "does not exist");
    }

    @Test
    void malformedIndexes() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("bad"));
        Files.writeString(dir.resolve(SafetensorsFolder.INDEX), "{\"weight_map\": {\"a\": \"x\", \"a\": \"y\"}}");
        refused(dir, "Duplicate field 'a'");
        Files.writeString(dir.resolve(SafetensorsFolder.INDEX), "{\"metadata\": {}}");
        refused(dir, "no \"weight_map\"");
        Files.writeString(dir.resolve(SafetensorsFolder.INDEX), "{\"weight_map\": {\"a\": 3}}");
        refused(dir, "not a file name");
        Files.writeString(dir.resolve(SafetensorsFolder.INDEX), "{\"weight_map\": " + "[".repeat(10_000) + "}");
        refused(dir, "not valid JSON");
        Files.write(dir.resolve(SafetensorsFolder.INDEX), new byte[] {'{', (byte) 0xFF, '}'});
        refused(dir, "not valid UTF-8");
        Files.writeString(dir.resolve(SafetensorsFolder.INDEX), "{\"weight_map\": {\"a\": \"\"}}");
        refused(dir, "empty file name");
        Files.delete(dir.resolve(SafetensorsFolder.INDEX));
        refused(dir, "holds neither");
    }

    @Test
    void newIndexesAreWrittenTheHuggingFaceWay() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("b", "model-00002-of-00002.safetensors");
        map.put("a\u00e9", "model-00001-of-00002.safetensors");
        String json = new String(ShardIndex.create(map, 12).encoded(), StandardCharsets.UTF_8);
        assertEquals("{\n  \"metadata\": {\n    \"total_size\": 12\n  },\n  \"weight_map\": {\n"
                + "    \"a\\u00e9\": \"model-00001-of-00002.safetensors\",\n    \"b\": \"model-00002-of-00002.safetensors\"\n  }\n}\n", json);
        ShardIndex back = ShardIndex.parse(json.getBytes(StandardCharsets.UTF_8), "i");
        assertEquals(map, back.weightMap());
        assertEquals(12L, back.totalSize());
    }
}
