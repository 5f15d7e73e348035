package dev.orbit.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.orbit.io.safetensors.ElementType;
import dev.orbit.io.safetensors.SafetensorsFile;
import dev.orbit.io.safetensors.SafetensorsWriter;
import dev.orbit.io.safetensors.StoredTensor;
import dev.orbit.io.safetensors.Values;

/** Families recognised from config.json, tensor names and shapes verified, and one clear error for everything else. */
class CheckpointRecognitionTest {
    @TempDir
    Path tmp;

    @Test
    void recognisesEveryFixture() {
        try (Checkpoint c = Checkpoint.open(CheckpointFixtures.path("llama"))) {
            var a = assertInstanceOf(DecoderArchitecture.class, c.architecture());
            assertEquals(Family.LLAMA, a.family());
            assertEquals(2, a.groupSize());
            assertEquals("lm_head.weight", a.head());
            assertFalse(a.qkvBias());
        }
        try (Checkpoint c = Checkpoint.open(CheckpointFixtures.path("mistral"))) {
            var a = (DecoderArchitecture) c.architecture();
            assertEquals(Family.MISTRAL, a.family());
            assertEquals(1, a.kvHeads());
            assertEquals(4096, a.slidingWindow());
            assertEquals(1e6, a.ropeTheta());
        }
        try (Checkpoint c = Checkpoint.open(CheckpointFixtures.path("qwen2"))) {
            var a = (DecoderArchitecture) c.architecture();
            assertTrue(a.qkvBias() && a.tied() && !a.outputBias());
            assertEquals("model.embed_tokens.weight", a.head());
        }
        try (Checkpoint c = Checkpoint.open(CheckpointFixtures.path("qwen3"))) {
            var a = (DecoderArchitecture) c.architecture();
            assertTrue(a.qkNorm());
            assertEquals(32, a.headDim());
        }
        try (Checkpoint c = Checkpoint.open(CheckpointFixtures.path("gpt2"))) {
            var a = assertInstanceOf(Gpt2Architecture.class, c.architecture());
            assertEquals("", a.prefix());
            assertTrue(a.tanhGelu());
            assertEquals(128, a.innerSize());
        }
        try (Checkpoint c = Checkpoint.open(CheckpointFixtures.path("bert"))) {
            var a = assertInstanceOf(BertArchitecture.class, c.architecture());
            assertTrue(a.mlmHead());
            assertEquals("bert.embeddings.word_embeddings.weight", a.decoder());
            assertFalse(a.tanhGelu());
        }
    }

    /** A copy of fixture {@code name} with its config and tensors edited. */
    private Path variant(String name, Consumer<ObjectNode> config, UnaryOperator<List<StoredTensor>> tensors) throws IOException {
        Path src = CheckpointFixtures.path(name), dir = Files.createDirectories(tmp.resolve(name + "-" + System.nanoTime()));
        ObjectMapper json = new ObjectMapper();
        ObjectNode c = (ObjectNode) json.readTree(src.resolve("config.json").toFile());
        config.accept(c);
        Files.writeString(dir.resolve("config.json"), json.writeValueAsString(c));
        try (var f = SafetensorsFile.open(src.resolve("model.safetensors"))) {
            List<StoredTensor> all = new ArrayList<>();
            for (String n : f.names()) all.add(f.tensor(n));
            SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors.apply(all), f.header().metadata());
        }
        return dir;
    }

    private static String refused(Path dir, String expected) {
        var e = assertThrows(CheckpointFormatException.class, () -> Checkpoint.open(dir).close());
        assertTrue(e.getMessage().contains(expected), "message should mention '" + expected + "': " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        return e.getMessage();
    }

    @Test
    void gpt2SavedByTransformersHasATransformerPrefix() throws IOException {
        Path dir = variant("gpt2", c -> {}, ts -> ts.stream()
                .filter(t -> !t.name().endsWith(".attn.bias"))
                .map(t -> new StoredTensor("transformer." + t.name(), t.type(), t.shape(), t.bytes())).toList());
        var ref = CheckpointFixtures.reference("gpt2");
        try (Checkpoint c = Checkpoint.open(dir)) {
            assertEquals("transformer.", ((Gpt2Architecture) c.architecture()).prefix());
            double err = CheckpointFixtures.maxRelativeError(Forward.logits(c, ref.tokens(), ScalarType.Double), ref.logits());
            assertTrue(err < 1e-10, "" + err);
        }
    }

    @Test
    void recognisesByArchitecturesWhenModelTypeIsAbsent() throws IOException {
        try (Checkpoint c = Checkpoint.open(variant("llama", cfg -> cfg.remove("model_type"), ts -> ts))) {
            assertEquals(Family.LLAMA, c.architecture().family());
        }
    }

    @Test
    void unknownFamiliesAreRefused() throws IOException {
        refused(variant("llama", c -> c.put("model_type", "gemma"), ts -> ts), "model_type 'gemma' is not a family Orbit knows (known: llama, mistral");
        refused(variant("llama", c -> { c.remove("model_type"); c.putArray("architectures").add("T5ForConditionalGeneration"); }, ts -> ts),
                "no model_type and no known architectures entry");
    }

    @Test
    void missingExtraAndMisshapenTensors() throws IOException {
        refused(variant("llama", c -> {}, ts -> ts.stream().filter(t -> !t.name().equals("model.layers.1.mlp.up_proj.weight")).toList()),
                "llama checkpoint lacks 1 tensor(s): model.layers.1.mlp.up_proj.weight");
        refused(variant("llama", c -> {}, ts -> {
            List<StoredTensor> more = new ArrayList<>(ts);
            more.add(new StoredTensor("model.layers.9.extra", ElementType.F32, new long[] {1}, Values.encode(ElementType.F32, new double[] {1})));
            return more;
        }), "1 tensor(s) a llama checkpoint does not have: model.layers.9.extra");
        refused(variant("llama", c -> c.put("intermediate_size", 128), ts -> ts),
                "tensor 'model.layers.0.mlp.down_proj.weight' has shape [64, 96], the config implies [64, 128]");
        refused(variant("llama", c -> c.put("num_key_value_heads", 4), ts -> ts), "has shape [32, 64], the config implies [64, 64]");
        refused(variant("llama", c -> c.put("num_key_value_heads", 3), ts -> ts), "does not divide num_attention_heads");
        refused(variant("gpt2", c -> c.put("n_layer", 3), ts -> ts), "gpt2 checkpoint lacks 12 tensor(s): h.2.ln_1.weight");
    }

    @Test
    void integerParametersAreRefused() throws IOException {
        refused(variant("llama", c -> {}, ts -> ts.stream().map(t -> !t.name().equals("model.norm.weight") ? t
                : new StoredTensor(t.name(), ElementType.I32, t.shape(), t.bytes())).toList()),
                "tensor 'model.norm.weight' is I32; parameters must be floating point");
    }

    @Test
    void unsupportedOptionsAreRefusedRatherThanComputedWrongly() throws IOException {
        refused(variant("llama", c -> c.putObject("rope_scaling").put("rope_type", "llama3").put("factor", 8.0), ts -> ts),
                "asks for rope_type 'llama3'");
        refused(variant("llama", c -> c.put("hidden_act", "gelu"), ts -> ts), "\"hidden_act\" is 'gelu'");
        refused(variant("qwen2", c -> c.put("use_sliding_window", true), ts -> ts), "use_sliding_window");
        refused(variant("gpt2", c -> c.put("activation_function", "relu"), ts -> ts), "activation_function");
        refused(variant("bert", c -> c.put("position_embedding_type", "relative_key"), ts -> ts), "only absolute positions");
        refused(variant("llama", c -> c.put("partial_rotary_factor", 0.5), ts -> ts), "partial_rotary_factor");
        refused(variant("llama", c -> c.put("hidden_size", "64"), ts -> ts), "\"hidden_size\" is not a positive integer");
        refused(variant("llama", c -> c.put("head_dim", 15).put("num_attention_heads", 4), ts -> ts), "head_dim\" is odd");
    }

    @Test
    void tiedHeadsMustNotBeStoredTwice() throws IOException {
        refused(variant("qwen2", c -> {}, ts -> {
            List<StoredTensor> more = new ArrayList<>(ts);
            StoredTensor e = ts.stream().filter(t -> t.name().equals("model.embed_tokens.weight")).findFirst().orElseThrow();
            more.add(new StoredTensor("lm_head.weight", e.type(), e.shape(), e.bytes()));
            return more;
        }), "tie_word_embeddings is true but the checkpoint also stores lm_head.weight");
        refused(variant("llama", c -> {}, ts -> ts.stream().filter(t -> !t.name().equals("lm_head.weight")).toList()),
                "lm_head.weight is missing and tie_word_embeddings is false");
    }

    @Test
    void bareDecoderWithoutPrefixOrHead() throws IOException {
        Path dir = variant("llama", c -> {}, ts -> ts.stream().filter(t -> !t.name().equals("lm_head.weight"))
                .map(t -> new StoredTensor(t.name().replaceFirst("^model\\.", ""), t.type(), t.shape(), t.bytes())).toList());
        try (Checkpoint c = Checkpoint.open(dir)) {
            var a = (DecoderArchitecture) c.architecture();
            assertEquals("", a.prefix());
            assertNull(a.head());
            var out = Forward.logits(c, new long[][] {{1, 2, 3}}, ScalarType.Double);
            assertEquals(64, out.dim(-1), "a headless model returns its final hidden states");
        }
    }

    @Test
    void folderProblems() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        refused(empty, "no config.json");
        Files.writeString(empty.resolve("config.json"), "{\"model_type\": \"llama\",");
        assertThrows(CheckpointFormatException.class, () -> Checkpoint.open(empty));
        Path outside = tmp.resolve("outside.json");
        Files.copy(CheckpointFixtures.path("llama").resolve("config.json"), outside);
        Path linked = Files.createDirectories(tmp.resolve("linked"));
        Files.createSymbolicLink(linked.resolve("config.json"), outside);
        var e = assertThrows(dev.orbit.graph.ModelFormatException.class, () -> Checkpoint.open(linked));
        assertTrue(e.getMessage().contains("outside the checkpoint folder"), e.getMessage());
    }

    @Test
    void tokensOutsideTheVocabularyAreRefused() {
        try (Checkpoint c = Checkpoint.open(CheckpointFixtures.path("qwen3"))) {
            var e = assertThrows(CheckpointFormatException.class, () -> Forward.logits(c, new long[][] {{1, 96}}, ScalarType.Double));
            assertTrue(e.getMessage().contains("token id 96 is outside the vocabulary (0..95)"), e.getMessage());
        }
        try (Checkpoint c = Checkpoint.open(CheckpointFixtures.path("gpt2"))) {
            long[][] tooLong = {new long[33]};
            assertThrows(CheckpointFormatException.class, () -> Forward.logits(c, tooLong, ScalarType.Double));
        }
    }
}
