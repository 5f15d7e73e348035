package dev.orbit.cli;

/** Range checks numeric options share; each failure is a usage error naming the option. */
final class Ranges {
    private Ranges() {}

    static void tolerance(double tolerance) {
        if (!(tolerance >= 0)) throw new UserError(ExitCodes.USAGE, "--tolerance must be a non-negative number");
    }

    /** A whole number that must be at least 1. */
    static void positive(int value, String option) {
        if (value <= 0) throw new UserError(ExitCodes.USAGE, option + " must be positive");
    }

    /** A whole number within [lo, hi], with the message the command documents. */
    static void within(long value, long lo, long hi, String message) {
        if (value < lo || value > hi) throw new UserError(ExitCodes.USAGE, message);
    }
}
