package dev.orbit.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.orbit.landscape.TeleportTraining;
import dev.orbit.landscape.TeleportTrainingExperiment;
import dev.orbit.report.Json;
import dev.orbit.sweep.LocalEngine;
import dev.orbit.sweep.SweepEngine;
import dev.orbit.sweep.Sweeps;

/**
 * The same sweep in this JVM and on a Spark cluster of two executor JVMs ({@code local-cluster[2,1,1024]}: two
 * workers with one core and 1 GiB each, launched from target/spark-home) gives the same result.json, bit for bit.
 */
class SparkSweepTest {
    @Test
    void localClusterAndInProcessGiveTheSameResult() {
        var e = new TeleportTrainingExperiment();
        var base = e.quick(e.defaults());
        var c = base.resized(2, 1, 300);
        var settings = new SweepEngine.Settings(null, 1, "orbit-test");
        var local = Sweeps.run(e, c, new LocalEngine(1), settings, d -> {});
        assertTrue(Sweeps.engines().get("spark") instanceof SparkEngine, "the spark engine is found through ServiceLoader");
        AtomicInteger progress = new AtomicInteger();
        var cluster = Sweeps.run(e, c, new SparkEngine(), new SweepEngine.Settings("local-cluster[2,1,1024]", 1, "orbit-test"), progress::set);
        assertEquals(12, cluster.tasks());
        assertEquals(0, cluster.failed(), cluster.failures().toString());
        assertEquals(12, progress.get(), "progress counts every task");
        assertEquals(2, cluster.workers().size(), "two executor JVMs ran tasks: " + cluster.workers());
        assertEquals(Json.write(local.result()), Json.write(cluster.result()));
    }
}
