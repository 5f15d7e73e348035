package dev.orbit.graph;

/** Shapes that do not fit together: a user's model or input is inconsistent. */
public class ShapeException extends RuntimeException {
    public ShapeException(String message) { super(message); }
}
