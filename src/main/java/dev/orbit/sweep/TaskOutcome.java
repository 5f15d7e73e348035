package dev.orbit.sweep;

import java.io.Serializable;

/**
 * What a task gave: its part of the result as JSON, or (after two failed attempts) the error of the last one.
 *
 * @param worker  host and process id of the JVM that ran it
 * @param seconds wall time of the successful attempt (or of both failed ones)
 * @param cpuSeconds CPU time of the thread that ran it, over the same span (libtorch computes on it: one intra-op thread
 *                   per task); on a loaded machine this, not the wall time, is the task's cost
 */
public record TaskOutcome(int index, long seed, String part, String error, int attempts, double seconds, double cpuSeconds, String worker)
        implements Serializable {
    public boolean failed() { return part == null; }
}
