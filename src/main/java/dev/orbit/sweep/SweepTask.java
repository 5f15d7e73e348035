package dev.orbit.sweep;

import java.io.Serializable;

/**
 * One task of a sweep as it travels to a worker: the experiment's name, its configuration and the task itself as
 * JSON, and the task's seed. Plain strings, so any engine can ship it (Java serialisation, a file, a queue).
 */
public record SweepTask(int index, String experiment, String config, String task, long seed) implements Serializable {
    /** Runs the task in this JVM (the experiment is looked up by name), retrying once; never throws. */
    public TaskOutcome run() { return Sweeps.runTask(this); }
}
