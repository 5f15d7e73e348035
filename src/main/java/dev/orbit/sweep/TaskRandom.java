package dev.orbit.sweep;

import java.util.SplittableRandom;

import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.global.torch;

/**
 * A task's own random sources: a Java {@link SplittableRandom} and a libtorch CPU generator, both seeded from the
 * task's seed. libtorch's {@code manual_seed} is process-wide: tasks running as threads in one JVM would race on it
 * and get unrepeatable draws, so a task passes {@link #torch()} to every libtorch sampling call instead.
 */
public final class TaskRandom {
    private final long seed;
    private final SplittableRandom java;
    private Generator torchGenerator;

    public TaskRandom(long seed) {
        this.seed = seed;
        this.java = new SplittableRandom(seed);
    }

    public long seed() { return seed; }

    /** The task's Java generator. */
    public SplittableRandom java() { return java; }

    /** The task's libtorch generator (created on first use; libtorch draws with it are independent of every other task). */
    public synchronized Generator torch() {
        if (torchGenerator == null) torchGenerator = torch.createCPUGenerator(seed);
        return torchGenerator;
    }
}
