package dev.orbit.graph;

/** A node failed while running: libtorch rejected its inputs or produced an error. Names the node. */
public class EvaluationException extends RuntimeException {
    public EvaluationException(String message, Throwable cause) { super(message, cause); }

    public EvaluationException(String message) { super(message); }
}
