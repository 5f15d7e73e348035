package dev.orbit.sweep;

import java.util.List;

import dev.orbit.experiment.Experiment;

/**
 * An experiment whose run splits into independent tasks (docs/SWEEPS.md): {@link #tasks} lists them for a
 * configuration, {@link #runTask} runs one anywhere (this JVM, a Spark executor), {@link #merge} puts the parts back
 * into the experiment's usual result, so result.json and the report are those of {@link #run}. Configurations, tasks
 * and parts are records that {@link dev.orbit.report.Json} writes and reads: a task travels as JSON.
 * <p>A task must be deterministic given (configuration, task): every random draw comes from the task's own
 * generators ({@link TaskRandom}, seeded from {@link #seed}), never from a global seed, so tasks running side by side
 * in one JVM cannot disturb each other.
 *
 * @param <C> the configuration record
 * @param <R> the result record
 * @param <T> one task (a record: which setting, arm, seed, file …)
 * @param <P> one task's part of the result (a record)
 */
public interface SweepableExperiment<C, R, T, P> extends Experiment<C, R> {
    Class<C> configType();

    Class<T> taskType();

    Class<P> partType();

    /** The tasks of a run of {@code config}, in the order {@link #merge} expects their parts. */
    List<T> tasks(C config);

    /** The seed a task's generators start from (shown in sweep.json). */
    long seed(T task);

    /** Runs one task; a user mistake in it (an unreadable file) belongs in the part, not in an exception. */
    P runTask(C config, T task, TaskRandom random);

    /** The experiment's result from the parts, in task order; a failed task's part is null (its error is in {@code errors}). */
    R merge(C config, List<T> tasks, List<P> parts, List<String> errors);
}
