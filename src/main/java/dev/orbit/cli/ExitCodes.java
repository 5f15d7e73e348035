package dev.orbit.cli;

/** Exit codes of the {@code orbit} command (documented in the README). */
public final class ExitCodes {
    public static final int OK = 0;
    /** Verification ran and some output differs beyond the tolerance. */
    public static final int VERIFY_FAILED = 1;
    /** Wrong command-line arguments. */
    public static final int USAGE = 2;
    /**
     * A model or data file is malformed or unreadable, shapes do not fit, a file exceeds a read limit
     * ({@code --max-bytes}, {@code --max-nodes}), or a path a file names leads outside its folder.
     */
    public static final int BAD_INPUT = 3;
    /** A model produced NaN or infinity. */
    public static final int NUMERIC = 4;
    /** An output file cannot be written. */
    public static final int OUTPUT = 5;
    /** The model needs an op Orbit cannot evaluate (it still imports and exports). */
    public static final int UNSUPPORTED = 6;
    /** {@code orbit same}: B is near an orbit copy of A (a fine-tuned, quantised or noisy copy), not on the orbit. */
    public static final int NEAR_ORBIT = 10;
    /** {@code orbit same}: B is not in A's orbit, nor near it. */
    public static final int NOT_SAME_ORBIT = 11;
    /** {@code orbit quantize}: a requested preparation has no free space to act on, or the model cannot take the opset. */
    public static final int QUANTIZE_REFUSED = 12;
    /** A bug in Orbit: please report it with the command line. */
    public static final int INTERNAL = 70;

    private ExitCodes() {}
}
