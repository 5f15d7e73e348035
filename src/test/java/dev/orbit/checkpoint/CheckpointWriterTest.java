package dev.orbit.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.orbit.io.AtomicFiles;
import dev.orbit.io.safetensors.ElementType;
import dev.orbit.io.safetensors.SafetensorsFolder;
import dev.orbit.tensor.NdArray;

/** Moved checkpoints written tensor by tensor in the input's layout, atomically, and read back. */
class CheckpointWriterTest {
    @TempDir
    Path tmp;

    static NdArray logits(Path dir, long[][] tokens) {
        try (Checkpoint c = Checkpoint.open(dir)) {
            return Forward.logits(c, tokens, ScalarType.Double);
        }
    }

    static byte[] header(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        int n = (int) ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return Arrays.copyOf(all, 8 + n);
    }

    @Test
    void shardedBf16CheckpointKeepsItsLayoutByteForByte() throws IOException {
        Path src = CheckpointFixtures.path("mistral"), out = tmp.resolve("moved");
        long[][] tokens = CheckpointMovesTest.tokens("mistral", 96);
        try (Checkpoint c = Checkpoint.open(src)) {
            DecoderArchitecture a = (DecoderArchitecture) c.architecture();
            CheckpointWriter.write(c, List.of(MoveSampler.heads(a, 1), MoveSampler.rotaryQueryKeys(a, 2), MoveSampler.mlp(a, 4, 3)), null, out);
        }
        for (String f : List.of(SafetensorsFolder.INDEX, "config.json")) {
            assertArrayEquals(Files.readAllBytes(src.resolve(f)), Files.readAllBytes(out.resolve(f)), f);
        }
        for (String f : List.of("model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors")) {
            assertArrayEquals(header(src.resolve(f)), header(out.resolve(f)), f + " header");
            assertEquals(Files.size(src.resolve(f)), Files.size(out.resolve(f)));
        }
        try (var a = SafetensorsFolder.open(src); var b = SafetensorsFolder.open(out)) {
            assertEquals(a.tensor("model.embed_tokens.weight"), b.tensor("model.embed_tokens.weight"), "untouched tensors are copied as they are");
            assertFalse(a.tensor("model.layers.0.mlp.up_proj.weight").equals(b.tensor("model.layers.0.mlp.up_proj.weight")));
        }
        double err = CheckpointMovesTest.error(logits(out, tokens), logits(src, tokens));
        System.out.printf("writer mistral bf16, heads + RoPE blocks + MLP, re-rounded to bf16: %.1e%n", err);
        assertTrue(err < 5e-2, "bf16 re-rounding stays small: " + err);
        assertTrue(err > 1e-6, "and is really there (the moves scale bf16 weights): " + err);
    }

    @Test
    void rotationOfATiedCheckpointWritesItUntied() throws IOException {
        Path src = CheckpointFixtures.path("qwen2"), out = tmp.resolve("rotated");
        long[][] tokens = CheckpointMovesTest.tokens("qwen2", 96);
        try (Checkpoint c = Checkpoint.open(src)) {
            CheckpointWriter.write(c, List.of(MoveSampler.rotation(c.architecture(), MoveSampler.Rotation.HADAMARD, 4)), null, out);
        }
        try (Checkpoint c = Checkpoint.open(out)) {
            var a = (DecoderArchitecture) c.architecture();
            assertFalse(a.tied());
            assertEquals("lm_head.weight", a.head());
            assertEquals(ElementType.F32, c.tensors().entry("lm_head.weight").type());
            assertFalse(c.config().bool("tie_word_embeddings", true));
        }
        double err = CheckpointMovesTest.error(logits(out, tokens), logits(src, tokens));
        System.out.printf("writer qwen2 f32, Hadamard rotation (untied), re-rounded to f32: %.1e%n", err);
        assertTrue(err < 1e-5, "float32 re-rounding only: " + err);
    }

    /** bf16 re-rounding is the error; writing the same move as float32 removes it (the reason for an F32 option). */
    @Test
    void float32OutputOfABf16Checkpoint() throws IOException {
        Path src = CheckpointFixtures.path("mistral");
        long[][] tokens = CheckpointMovesTest.tokens("mistral", 96);
        double[] errors = new double[2];
        ElementType[] types = {null, ElementType.F32};
        for (int i = 0; i < 2; i++) {
            Path out = tmp.resolve("out" + i);
            try (Checkpoint c = Checkpoint.open(src)) {
                CheckpointWriter.write(c, List.of(MoveSampler.rotation(c.architecture(), MoveSampler.Rotation.HAAR, 5)), types[i], out);
            }
            errors[i] = CheckpointMovesTest.error(logits(out, tokens), logits(src, tokens));
        }
        try (var f = SafetensorsFolder.open(tmp.resolve("out1"))) {
            assertEquals(ElementType.F32, f.entry("model.norm.weight").type());
            assertEquals(f.index().orElseThrow().totalSize(), f.tensorBytes());
        }
        System.out.printf("writer mistral rotation: bf16 output %.1e, f32 output %.1e%n", errors[0], errors[1]);
        assertTrue(errors[1] < 1e-5 && errors[0] > 100 * errors[1], Arrays.toString(errors));
    }

    @Test
    void existingOutputsAreNotOverwrittenAndFailuresLeaveNothing() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("taken"));
        Files.writeString(out.resolve("keep.txt"), "mine");
        try (Checkpoint c = Checkpoint.open(CheckpointFixtures.path("llama"))) {
            var heads = MoveSampler.heads(c.architecture(), 6);
            assertThrows(AtomicFiles.OutputException.class, () -> CheckpointWriter.write(c, List.of(heads), null, out));
            assertEquals("mine", Files.readString(out.resolve("keep.txt")));
            // a move that is not exact here is refused before anything is written
            Path out2 = tmp.resolve("never");
            assertThrows(IllegalArgumentException.class, () -> CheckpointWriter.write(c, List.of(MoveSampler.queryKeys(c.architecture(), 10, 1)), null, out2));
            assertFalse(Files.exists(out2));
        }
        // a write that fails half-way leaves neither the folder nor its temporary folder
        Path out3 = tmp.resolve("half");
        assertThrows(IllegalStateException.class, () -> dev.orbit.io.AtomicFolders.write(out3, dir -> {
            Files.writeString(dir.resolve("model-00001-of-00002.safetensors"), "partial");
            throw new IllegalStateException("disk on fire");
        }));
        assertFalse(Files.exists(out3));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of("taken"), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    /**
     * Chunked evaluation is the same function: every fixture, with the exact moves of its family without the
     * rotation (q/k/v/gate/up go by columns, o/down by rows), the rotation alone (embedding, head and readers by
     * rows, writers by columns) and all of them composed, written once whole (chunks larger than any tensor) and once
     * in chunks of 4 KB of float64 (a few rows or columns at a time): the shards are byte-identical.
     */
    @Test
    void chunkedMovesWriteTheSameBytesAsWholeTensors() throws IOException {
        for (String name : CheckpointFixtures.ALL) {
            for (int set = 0; set < 3; set++) {
                Path whole = tmp.resolve(name + "-whole" + set), chunked = tmp.resolve(name + "-chunked" + set);
                try (Checkpoint c = Checkpoint.open(CheckpointFixtures.path(name))) {
                    Architecture a = c.architecture();
                    List<CheckpointMove> moves = new java.util.ArrayList<>();
                    if (set != 1) {
                        moves.addAll(List.of(MoveSampler.heads(a, 20), MoveSampler.mlp(a, 4, 21), MoveSampler.values(a, 10, 22)));
                        if (a instanceof DecoderArchitecture d) moves.add(d.qkNorm() ? MoveSampler.qkNorm(d, 23) : MoveSampler.rotaryQueryKeys(d, 23));
                        else moves.add(MoveSampler.queryKeys(a, 10, 23));
                    }
                    if (set != 0 && a instanceof DecoderArchitecture) moves.add(MoveSampler.rotation(a, MoveSampler.Rotation.HADAMARD, 24));
                    if (moves.isEmpty()) continue;
                    CheckpointWriter.write(c, moves, null, whole, b -> {}, Long.MAX_VALUE / 16);
                    long[] calls = {0};
                    CheckpointWriter.write(c, moves, null, chunked, b -> calls[0]++, 4096);
                    assertTrue(calls[0] > 0, "progress is reported");
                }
                assertSameFiles(whole, chunked, name + " set " + set);
            }
        }
    }

    private static void assertSameFiles(Path whole, Path chunked, String what) throws IOException {
        {
            try (Stream<Path> files = Files.list(whole)) {
                for (Path f : files.toList()) {
                    assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(chunked.resolve(f.getFileName())), what + ": " + f.getFileName());
                }
            }
        }
    }
}
