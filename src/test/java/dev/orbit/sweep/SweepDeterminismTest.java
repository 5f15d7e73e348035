package dev.orbit.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;

import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import dev.orbit.experiment.Context;
import dev.orbit.landscape.TeleportTraining;
import dev.orbit.landscape.TeleportTrainingExperiment;
import dev.orbit.report.HtmlReport;
import dev.orbit.report.Json;
import dev.orbit.tensor.NdArray;

/**
 * A sweep gives the same result on one thread and on two concurrent tasks in one JVM: the race case of libtorch's
 * process-wide seed, which per-task generators avoid. Also: a task failing twice is reported and does not sink the sweep.
 */
class SweepDeterminismTest {
    static final SweepEngine.Settings SETTINGS = new SweepEngine.Settings(null, 1, "test");

    /** Draws from libtorch (the task's generator) and the task's Java generator, and runs libtorch arithmetic on the draws. */
    static final class NoiseProbe implements SweepableExperiment<NoiseProbe.Config, NoiseProbe.Result, NoiseProbe.Task, NoiseProbe.Part> {
        record Config(int tasks, int size, int failAt) {}
        record Task(long seed) {}
        record Part(double[] values) {}
        record Result(List<double[]> values) {}

        @Override public String name() { return "noise-probe"; }
        @Override public Config defaults() { return new Config(6, 64, -1); }
        @Override public Config quick(Config c) { return c; }
        @Override public Result run(Config c, Context context) { throw new UnsupportedOperationException("sweep only"); }
        @Override public HtmlReport report(Result r) { return new HtmlReport("noise probe"); }
        @Override public String headline(Result r) { return "noise probe"; }
        @Override public String summary(Result r) { return ""; }
        @Override public Class<Config> configType() { return Config.class; }
        @Override public Class<Task> taskType() { return Task.class; }
        @Override public Class<Part> partType() { return Part.class; }
        @Override public List<Task> tasks(Config c) { return IntStream.range(0, c.tasks()).mapToObj(i -> new Task(100 + i)).toList(); }
        @Override public long seed(Task t) { return t.seed(); }

        @Override
        public Part runTask(Config c, Task t, TaskRandom random) {
            if (t.seed() == 100 + c.failAt()) throw new IllegalStateException("task " + c.failAt() + " always fails");
            double[] out = new double[8];
            for (int round = 0; round < 50; round++) {  // many small draws: interleaving would show on a shared generator
                Tensor a = torch.randn(new long[] {c.size(), c.size()}, new GeneratorOptional(random.torch()),
                        new TensorOptions(torch.ScalarType.Double));
                Tensor b = a.matmul(a.t()).sum(new long[] {1}, false, new org.bytedeco.pytorch.ScalarTypeOptional());
                double[] row = NdArray.fromTorch(b).toDoubleArray();
                for (int i = 0; i < out.length; i++) out[i] += row[i] * (1 + random.java().nextDouble());
            }
            return new Part(out);
        }

        @Override
        public Result merge(Config c, List<Task> tasks, List<Part> parts, List<String> errors) {
            return new Result(parts.stream().map(p -> p == null ? null : p.values()).toList());
        }
    }

    @Test
    void oneThreadAndTwoConcurrentTasksGiveTheSameDraws() {
        NoiseProbe e = new NoiseProbe();
        Sweeps.register(e);
        var config = e.defaults();
        var one = Sweeps.run(e, config, new LocalEngine(1), SETTINGS, d -> {});
        var two = Sweeps.run(e, config, new LocalEngine(2), SETTINGS, d -> {});
        assertEquals(Json.write(one.result()), Json.write(two.result()));
        assertNotEquals(Json.write(one.result().values().get(0)), Json.write(one.result().values().get(1)), "different seeds, different draws");
        assertEquals(0, two.failed());
    }

    @Test
    void aTaskFailingTwiceIsReportedAndTheOthersMerge() {
        NoiseProbe e = new NoiseProbe();
        Sweeps.register(e);
        var f = Sweeps.run(e, new NoiseProbe.Config(4, 8, 2), new LocalEngine(2), SETTINGS, d -> {});
        assertEquals(1, f.failed());
        assertEquals(2, f.failures().get(0).index());
        assertEquals("IllegalStateException: task 2 always fails", f.failures().get(0).error());
        assertTrue(f.failures().get(0).task().contains("102"), f.failures().get(0).task());
        assertNull(f.result().values().get(2));
        assertEquals(3, f.result().values().stream().filter(v -> v != null).count());
    }

    /** A real experiment: the teleport-training grid, sequential against two tasks at once, bit for bit. */
    @Test
    void teleportTrainingGivesTheSameResultOnOneAndTwoThreads() {
        var e = new TeleportTrainingExperiment();
        var base = e.quick(e.defaults());
        var c = new TeleportTraining.Config(base.settings().subList(0, 1), 2, base.batch(), base.range(), 0, base.target()).resized(2, 1, 300);
        var one = Sweeps.run(e, c, new LocalEngine(1), SETTINGS, d -> {});
        var two = Sweeps.run(e, c, new LocalEngine(2), SETTINGS, d -> {});
        assertEquals(6, one.tasks());
        assertEquals(Json.write(one.result()), Json.write(two.result()));
        assertEquals(Json.write(e.run(c, Context.quiet(null))), Json.write(one.result()), "the sweep merges into the experiment's own result");
    }

    /** A conv net trained with Adam (the paper grid's new parts): the same result.json from two runs on two threads. */
    @Test
    void teleportTrainingWithAConvNetAndAdamRepeatsBitForBit() {
        var e = new TeleportTrainingExperiment();
        var s = new TeleportTraining.Setting("cnn:1x28x28-c16-p-c32-p-fc64-10", "relu", "kaiming", 0.001, "adam", 1, 200);
        var c = new TeleportTraining.Config(List.of(s), 1, 64, 0.9, 0, 0.95);
        var first = Sweeps.run(e, c, new LocalEngine(2), SETTINGS, d -> {});
        var second = Sweeps.run(e, c, new LocalEngine(2), SETTINGS, d -> {});
        assertEquals(3, first.tasks());
        assertEquals(0, first.failed(), first.failures().toString());
        assertEquals(Json.write(first.result()), Json.write(second.result()));
        var arms = first.result().results().getFirst().arms();
        assertTrue(arms.stream().allMatch(a -> a.accuracy()[0][0] > 0.1), "every arm trained: " + Json.write(first.result()));
    }
}
