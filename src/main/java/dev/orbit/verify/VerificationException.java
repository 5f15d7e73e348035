package dev.orbit.verify;

/** A verification could not run (the runtime rejected a model or an input). */
public class VerificationException extends RuntimeException {
    public VerificationException(String message) { super(message); }
}
