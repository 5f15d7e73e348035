package dev.orbit.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.bytedeco.pytorch.global.torch;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.orbit.report.Json;

/**
 * Plans, runs and merges sweeps (docs/SWEEPS.md). Experiments are found by name among the {@link ServiceLoader}
 * providers of {@link SweepableExperiment} (so a Spark executor finds them from the task's name alone) and among
 * those {@link #register registered} in this JVM; engines likewise among the providers of {@link SweepEngine}, plus
 * {@link LocalEngine}.
 */
public final class Sweeps {
    /** A task is tried this often before it is reported as failed. */
    public static final int ATTEMPTS = 2;
    /** libtorch intra-op threads per task: one, so a task's float sums do not depend on how busy its JVM is. */
    public static final int THREADS_PER_TASK = 1;

    private static final Map<String, SweepableExperiment<?, ?, ?, ?>> REGISTERED = new ConcurrentHashMap<>();

    private Sweeps() {}

    /** Makes an experiment known by name in this JVM only (tests, plug-ins); remote workers need a service provider. */
    public static void register(SweepableExperiment<?, ?, ?, ?> e) { REGISTERED.put(e.name(), e); }

    /** Every sweepable experiment by name. */
    public static Map<String, SweepableExperiment<?, ?, ?, ?>> experiments() {
        Map<String, SweepableExperiment<?, ?, ?, ?>> all = new TreeMap<>();
        for (SweepableExperiment<?, ?, ?, ?> e : ServiceLoader.load(SweepableExperiment.class, Sweeps.class.getClassLoader())) all.put(e.name(), e);
        all.putAll(REGISTERED);
        return all;
    }

    public static SweepableExperiment<?, ?, ?, ?> experiment(String name) {
        SweepableExperiment<?, ?, ?, ?> e = experiments().get(name);
        if (e == null) throw new IllegalArgumentException("no sweepable experiment named '" + name + "' (known: " + String.join(", ", experiments().keySet()) + ")");
        return e;
    }

    /** Every engine by name: {@code local} and the service providers on the class or module path. */
    public static Map<String, SweepEngine> engines() {
        Map<String, SweepEngine> all = new TreeMap<>();
        all.put("local", new LocalEngine());
        for (SweepEngine e : ServiceLoader.load(SweepEngine.class, Sweeps.class.getClassLoader())) all.put(e.name(), e);
        return all;
    }

    /** The tasks of a run of {@code config}, ready to ship. */
    public static <C, R, T, P> List<SweepTask> plan(SweepableExperiment<C, R, T, P> e, C config) {
        String c = Json.write(config);
        List<SweepTask> out = new ArrayList<>();
        List<T> tasks = e.tasks(config);
        for (int i = 0; i < tasks.size(); i++) out.add(new SweepTask(i, e.name(), c, Json.write(tasks.get(i)), e.seed(tasks.get(i))));
        return out;
    }

    /** A failed task as the sweep reports it: which task, with what configuration, and the error. */
    public record Failure(int index, String task, String error) {}

    /**
     * @param result  the experiment's usual result, merged from the parts
     * @param seconds per-task wall times, in task order
     * @param cpuSeconds per-task CPU times of the task's thread, in task order
     */
    public record Finished<R>(R result, String experiment, String engine, int tasks, int failed, double wallSeconds,
                              double[] seconds, double[] cpuSeconds, List<String> workers, List<Failure> failures) {}

    /** Plans, runs on {@code engine} and merges. */
    public static <C, R, T, P> Finished<R> run(SweepableExperiment<C, R, T, P> e, C config, SweepEngine engine, SweepEngine.Settings settings,
                                               java.util.function.IntConsumer progress) {
        long start = System.nanoTime();
        List<SweepTask> tasks = plan(e, config);
        List<TaskOutcome> outcomes = engine.run(tasks, settings, progress);
        return merge(e, config, tasks, outcomes, engine.name(), (System.nanoTime() - start) / 1e9);
    }

    static <C, R, T, P> Finished<R> merge(SweepableExperiment<C, R, T, P> e, C config, List<SweepTask> tasks, List<TaskOutcome> outcomes,
                                          String engine, double wall) {
        List<T> ts = new ArrayList<>();
        List<P> parts = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        double[] seconds = new double[tasks.size()];
        double[] cpu = new double[tasks.size()];
        List<String> workers = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            TaskOutcome o = outcomes.get(i);
            if (o.index() != i) throw new IllegalStateException("engine returned outcome " + o.index() + " at position " + i);
            ts.add(read(tasks.get(i).task(), e.taskType()));
            parts.add(o.failed() ? null : read(o.part(), e.partType()));
            errors.add(o.error());
            if (o.failed()) failures.add(new Failure(i, tasks.get(i).task(), o.error()));
            seconds[i] = o.seconds();
            cpu[i] = o.cpuSeconds();
            if (!workers.contains(o.worker())) workers.add(o.worker());
        }
        R result = e.merge(config, ts, parts, errors);
        return new Finished<>(result, e.name(), engine, tasks.size(), failures.size(), wall, seconds, cpu, workers, failures);
    }

    /** result.json, report.html and index.html as the experiment writes them, plus sweep.json (engine, per-task times, failures). */
    public static <R> void write(java.nio.file.Path dir, dev.orbit.experiment.Experiment<?, R> e, Finished<R> f) {
        dev.orbit.experiment.ExperimentFiles.write(dir, e, f.result());
        Map<String, Object> sweep = new java.util.LinkedHashMap<>();
        sweep.put("experiment", f.experiment());
        sweep.put("engine", f.engine());
        sweep.put("tasks", f.tasks());
        sweep.put("failed", f.failed());
        sweep.put("wall_seconds", f.wallSeconds());
        sweep.put("task_seconds", f.seconds());
        sweep.put("task_cpu_seconds", f.cpuSeconds());
        sweep.put("workers", f.workers());
        sweep.put("failures", f.failures());
        dev.orbit.io.AtomicFiles.writeString(dir.resolve("sweep.json"), Json.write(sweep) + "\n");
    }

    /** A worker's side: look the experiment up, read the task, run it with its own generators; retry once. */
    static TaskOutcome runTask(SweepTask t) {
        pinThreads();
        long start = System.nanoTime();
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        String error = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                String part = runOnce(experiment(t.experiment()), t);
                return new TaskOutcome(t.index(), t.seed(), part, null, attempt, (System.nanoTime() - start) / 1e9,
                        (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9, worker());
            } catch (RuntimeException | StackOverflowError ex) {
                error = oneLine(ex);
            }
        }
        return new TaskOutcome(t.index(), t.seed(), null, error, ATTEMPTS, (System.nanoTime() - start) / 1e9,
                (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9, worker());
    }

    private static <C, R, T, P> String runOnce(SweepableExperiment<C, R, T, P> e, SweepTask t) {
        C config = read(t.config(), e.configType());
        T task = read(t.task(), e.taskType());
        return Json.write(e.runTask(config, task, new TaskRandom(t.seed())));
    }

    /** libtorch's intra-op pool is process-wide: fixed at {@link #THREADS_PER_TASK} in a worker JVM (LocalEngine restores it after the sweep). */
    static void pinThreads() {
        synchronized (Sweeps.class) {
            if (torch.get_num_threads() != THREADS_PER_TASK) torch.set_num_threads(THREADS_PER_TASK);
        }
    }

    static <X> X read(String json, Class<X> type) {
        try {
            return Json.mapper().readValue(json, type);
        } catch (JsonProcessingException ex) {
            throw new IllegalArgumentException("cannot read a " + type.getSimpleName() + " from the task: " + ex.getOriginalMessage());
        }
    }

    static String oneLine(Throwable ex) {
        String m = ex.getMessage() == null ? "" : ex.getMessage().strip();
        int nl = m.indexOf('\n');
        if (nl >= 0) m = m.substring(0, nl);
        return ex.getClass().getSimpleName() + (m.isEmpty() ? "" : ": " + m);
    }

    private static String worker() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException ex) {
            host = "unknown";
        }
        return host + "/" + ProcessHandle.current().pid();
    }
}
