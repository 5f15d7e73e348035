package dev.orbit.cli;

import java.io.PrintWriter;
import java.util.Map;

import dev.orbit.sweep.SweepEngine;
import dev.orbit.sweep.Sweeps;
import picocli.CommandLine.Option;

/** Where a sweep runs: {@code --engine local|spark}, {@code --master URL}, {@code --tasks-per-core K} (docs/SWEEPS.md). */
final class SweepOptions {
    @Option(names = "--engine", defaultValue = "local", paramLabel = "ENGINE",
            description = "local: in this JVM, no Spark; spark: Apache Spark (needs orbit-spark.jar, docs/SWEEPS.md) (default ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark.master from spark-submit, else local[*]).")
    String master;

    @Option(names = "--tasks-per-core", defaultValue = "1", paramLabel = "K", description = "Tasks run at once per core (default ${DEFAULT-VALUE}).")
    int tasksPerCore;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N", description = "local engine: exactly N tasks at once (default: cores × tasks per core).")
    int threads;

    SweepEngine engine() {
        if (tasksPerCore < 1 || tasksPerCore > 64) throw new UserError(ExitCodes.USAGE, "--tasks-per-core must be within 1..64");
        if (threads < 0) throw new UserError(ExitCodes.USAGE, "--threads must not be negative");
        if (engine.equals("local")) {
            if (master != null) throw new UserError(ExitCodes.USAGE, "--master needs --engine spark");
            return new dev.orbit.sweep.LocalEngine(threads);
        }
        Map<String, SweepEngine> engines = Sweeps.engines();
        SweepEngine e = engines.get(engine);
        if (e == null) {
            throw new UserError(ExitCodes.USAGE, engine.equals("spark")
                    ? "the spark engine is not in this build: run orbit-spark.jar (build it with ./mvnw -f spark/pom.xml package; docs/SWEEPS.md)"
                    : "unknown --engine '" + engine + "' (known: " + String.join(", ", engines.keySet()) + ")");
        }
        return e;
    }

    SweepEngine.Settings settings(String appName) { return new SweepEngine.Settings(master, tasksPerCore, appName); }

    /** Progress as tasks done out of total, on stderr, at most one line per 2 % (and the last). */
    static java.util.function.IntConsumer progress(PrintWriter err, int total) {
        int step = Math.max(1, total / 50);
        return done -> {
            if (done % step == 0 || done == total) {
                synchronized (err) {
                    err.printf("tasks done: %d/%d%n", done, total);
                    err.flush();
                }
            }
        };
    }
}
