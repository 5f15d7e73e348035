package dev.orbit.sweep;

import java.util.List;
import java.util.function.IntConsumer;

/**
 * Runs a sweep's tasks somewhere and returns their outcomes in task order. {@link LocalEngine} runs them in this JVM;
 * the Spark engine (module {@code spark/}, found through {@link java.util.ServiceLoader}) on a cluster. Each worker
 * runs {@link SweepTask#run()}, which retries a failed task once and reports a second failure as an outcome, so one
 * bad task never sinks the sweep.
 */
public interface SweepEngine {
    /** The name {@code --engine} selects. */
    String name();

    /**
     * @param settings  where and how wide to run
     * @param progress  receives the number of tasks done so far (from any thread)
     */
    List<TaskOutcome> run(List<SweepTask> tasks, Settings settings, IntConsumer progress);

    /**
     * @param master        the cluster to use (engine-specific; null: the engine's default)
     * @param tasksPerCore  tasks run at once per core of each worker
     */
    record Settings(String master, int tasksPerCore, String appName) {
        public Settings {
            if (tasksPerCore < 1) throw new IllegalArgumentException("tasks per core must be at least 1");
        }
    }
}
