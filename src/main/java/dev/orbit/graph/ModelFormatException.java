package dev.orbit.graph;

/** A model file or graph that is malformed or inconsistent (a user-facing error, not a bug). */
public class ModelFormatException extends RuntimeException {
    public ModelFormatException(String message) { super(message); }

    public ModelFormatException(String message, Throwable cause) { super(message, cause); }
}
