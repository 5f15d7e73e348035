package dev.orbit.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs the tasks in this JVM on cores × tasks-per-core threads (no Spark). libtorch's intra-op thread count, which the
 * tasks pin to one, is set back to what it was when the sweep ends.
 */
public final class LocalEngine implements SweepEngine {
    private final int threads;

    /** As many threads as cores × tasks-per-core. */
    public LocalEngine() { this(0); }

    /** A fixed number of threads (0: cores × tasks-per-core). */
    public LocalEngine(int threads) { this.threads = threads; }

    @Override
    public String name() { return "local"; }

    @Override
    public List<TaskOutcome> run(List<SweepTask> tasks, Settings settings, IntConsumer progress) {
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors() * settings.tasksPerCore();
        AtomicInteger done = new AtomicInteger();
        int threadsBefore = org.bytedeco.pytorch.global.torch.get_num_threads(); // tasks pin it to one (Sweeps.pinThreads)
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(n, tasks.size())), r -> {
            Thread t = new Thread(r, "orbit-sweep");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<TaskOutcome>> futures = new ArrayList<>();
            for (SweepTask t : tasks) {
                futures.add(pool.submit(() -> {
                    TaskOutcome o = t.run();
                    progress.accept(done.incrementAndGet());
                    return o;
                }));
            }
            List<TaskOutcome> out = new ArrayList<>();
            for (Future<TaskOutcome> f : futures) out.add(f.get());
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("sweep interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a sweep worker failed outside its task", e.getCause());
        } finally {
            pool.shutdownNow();
            org.bytedeco.pytorch.global.torch.set_num_threads(threadsBefore);
        }
    }
}
