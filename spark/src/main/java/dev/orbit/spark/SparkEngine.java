package dev.orbit.spark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

import dev.orbit.sweep.SweepEngine;
import dev.orbit.sweep.SweepTask;
import dev.orbit.sweep.TaskOutcome;

/**
 * Runs a sweep on Apache Spark (docs/SWEEPS.md): one partition per task, each executor runs {@link SweepTask#run()}
 * (the experiment is found by name in Orbit's jar there), the outcomes come back in task order. The master is
 * {@code --master}, else the {@code spark.master} that spark-submit set, else {@code local[cores × tasks-per-core]}.
 * A task's own failures are retried inside the task (two attempts, then reported as an outcome); a lost executor is
 * retried by Spark ({@code spark.task.maxFailures}, 2 here unless set).
 */
public final class SparkEngine implements SweepEngine {
    @Override
    public String name() { return "spark"; }

    @Override
    public List<TaskOutcome> run(List<SweepTask> tasks, Settings settings, IntConsumer progress) {
        SparkConf conf = new SparkConf().setAppName(settings.appName());
        if (settings.master() != null) conf.setMaster(settings.master());
        else if (!conf.contains("spark.master")) conf.setMaster("local[" + Runtime.getRuntime().availableProcessors() * settings.tasksPerCore() + "]");
        conf.setIfMissing("spark.task.maxFailures", "2");
        conf.setIfMissing("spark.ui.enabled", "false");
        // a sweep's tasks are independent and uneven: no speculative copies, no locality waits
        conf.setIfMissing("spark.locality.wait", "0s");
        JavaSparkContext sc = new JavaSparkContext(conf);
        AtomicInteger done = new AtomicInteger();
        SparkListener listener = new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.taskInfo() != null && end.taskInfo().successful()) progress.accept(done.incrementAndGet());
            }
        };
        sc.sc().addSparkListener(listener);
        try {
            List<TaskOutcome> out = new ArrayList<>(sc.parallelize(tasks, Math.max(1, tasks.size())).map(SparkEngine::runTask).collect());
            out.sort(Comparator.comparingInt(TaskOutcome::index));
            return out;
        } finally {
            sc.sc().removeSparkListener(listener);
            sc.stop();
        }
    }

    /** What an executor runs: the task, in that JVM (a static method, so the closure carries nothing but the task). */
    static TaskOutcome runTask(SweepTask t) { return t.run(); }
}
