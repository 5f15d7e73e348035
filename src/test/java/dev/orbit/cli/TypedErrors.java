package dev.orbit.cli;

/** For the fuzz targets: whether a failure is one the command line reports as a user error (not exit 70). */
public final class TypedErrors {
    private TypedErrors() {}

    /** The exit code {@code orbit} gives this exception. */
    public static int exitCode(Throwable e) { return ErrorHandler.codeFor(e); }

    /** Rethrows anything that would be an internal error (exit 70): for a fuzzer, that is a finding. */
    public static void requireTyped(RuntimeException e) {
        if (exitCode(e) == ExitCodes.INTERNAL) throw e;
    }
}
