package dev.orbit.checkpoint;

import dev.orbit.graph.ModelFormatException;

/** A checkpoint folder whose config.json or tensors Orbit cannot use: unknown family, missing or misshapen tensors (exit 3). */
public final class CheckpointFormatException extends ModelFormatException {
    public CheckpointFormatException(String message) { super(message); }

    public CheckpointFormatException(String message, Throwable cause) { super(message, cause); }
}
