package dev.orbit.experiment;

/** The outcome of an experiment's own checks. */
public enum Verdict {
    PASSED,
    /** A verification ran and an output differs beyond its tolerance. */
    FAILED,
    /** A model produced NaN or infinity. */
    NON_FINITE
}
