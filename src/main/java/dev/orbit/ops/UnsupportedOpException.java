package dev.orbit.ops;

/** Evaluation reached an op that Orbit imports and exports but cannot run. */
public class UnsupportedOpException extends RuntimeException {
    public UnsupportedOpException(String message) { super(message); }
}
