package dev.orbit.io.safetensors;

import dev.orbit.graph.ModelFormatException;

/** A safetensors file, shard index or checkpoint folder that is malformed or hostile (exit code 3). */
public final class SafetensorsFormatException extends ModelFormatException {
    public SafetensorsFormatException(String message) { super(message); }

    public SafetensorsFormatException(String message, Throwable cause) { super(message, cause); }
}
