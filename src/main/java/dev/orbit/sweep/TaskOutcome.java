package dev.orbit.sweep;

import java.io.Serializable;

/**
 * What a task gave: its part of the result as JSON, or (after two failed attempts) the error of the last one.
 *
 * @param worker  host and process id of the JVM that ran it
 * @param seconds wall time of the successful attempt (or of both failed ones)
 */
public record TaskOutcome(int index, long seed, String part, String error, int attempts, double seconds, String worker)
        implements Serializable {
    public boolean failed() { return part == null; }
}
