package dev.orbit.checkpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.orbit.io.ConfinedFolder;
import dev.orbit.io.safetensors.SafetensorsFolder;

/**
 * A Hugging Face checkpoint folder: config.json, the safetensors weights (one file or an index and shards) and
 * the architecture they describe, verified name by name and shape by shape. Close it to unmap the shards.
 */
public final class Checkpoint implements AutoCloseable {
    public static final String CONFIG = "config.json";

    private final Path folder;
    private final ConfigJson config;
    private final Architecture architecture;
    private final SafetensorsFolder tensors;

    private Checkpoint(Path folder, ConfigJson config, Architecture architecture, SafetensorsFolder tensors) {
        this.folder = folder;
        this.config = config;
        this.architecture = architecture;
        this.tensors = tensors;
    }

    public static Checkpoint open(Path folder) {
        if (!Files.isDirectory(folder)) throw new CheckpointFormatException(folder + ": not a folder");
        if (!Files.exists(folder.resolve(CONFIG), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new CheckpointFormatException(folder + ": no config.json (a Hugging Face checkpoint folder has one)");
        }
        ConfigJson config = ConfigJson.read(ConfinedFolder.of(folder, SafetensorsFolder.FOLDER).resolve(CONFIG, "config"));
        SafetensorsFolder tensors = SafetensorsFolder.open(folder);
        try {
            Architecture arch = recognise(config, new HashSet<>(tensors.names()));
            arch.plan().verify(tensors, arch.family().modelType);
            return new Checkpoint(folder, config, arch, tensors);
        } catch (RuntimeException e) {
            tensors.close();
            throw e;
        }
    }

    /** The architecture a config describes, given the tensor names present (they decide prefixes and optional parts). */
    public static Architecture recognise(ConfigJson config, Set<String> names) {
        String modelType = config.string("model_type", null);
        Family family = modelType == null ? null : Family.byModelType(modelType);
        if (family == null && modelType == null) {
            JsonNode archs = config.root().get("architectures");
            if (archs != null && archs.isArray()) {
                for (JsonNode a : archs) if (family == null && a.isTextual()) family = Family.byArchitecture(a.textValue());
            }
        }
        if (family == null) {
            throw new CheckpointFormatException(config.source() + ": " + (modelType == null ? "no model_type and no known architectures entry"
                    : "model_type '" + modelType + "' is not a family Orbit knows") + " (known: llama, mistral, qwen2, qwen3, gpt2, bert)");
        }
        return switch (family) {
            case LLAMA, MISTRAL, QWEN2, QWEN3 -> DecoderArchitecture.from(family, config, names);
            case GPT2 -> Gpt2Architecture.from(config, names);
            case BERT -> BertArchitecture.from(config, names);
        };
    }

    public Path folder() { return folder; }

    public ConfigJson config() { return config; }

    public Architecture architecture() { return architecture; }

    public SafetensorsFolder tensors() { return tensors; }

    @Override public void close() { tensors.close(); }

    @Override public String toString() { return folder + " (" + architecture.family().modelType + ", " + architecture.layers() + " layers)"; }
}
