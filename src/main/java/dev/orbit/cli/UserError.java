package dev.orbit.cli;

/** A message for the user and the exit code that goes with it; printed as one line, never a stack trace. */
public final class UserError extends RuntimeException {
    private final int exitCode;

    public UserError(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public int exitCode() { return exitCode; }
}
