package dev.orbit;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Memory outside the Java heap, for memory-flatness tests: the resident set size minus the committed heap
 * (the JVM may grow its heap under garbage, which is not a native leak), measured after garbage collection
 * has run and the cleaners of collected native segments have had time to free them.
 */
public final class ResidentMemory {
    private ResidentMemory() {}

    public static long kb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D+", ""));
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    /** RSS − committed heap, in KB, after settling. */
    public static long nativeKb() throws IOException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() / 1024;
        return kb() - heap;
    }
}
