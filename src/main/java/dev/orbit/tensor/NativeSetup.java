package dev.orbit.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;

/**
 * Process settings libtorch must see before its native libraries load. libtorch runs its own ops on OpenMP
 * threads and hands matrix products to OpenBLAS's thread pool; with OpenMP's default active waiting the idle
 * OpenMP threads spin on the cores OpenBLAS needs, and a batch-256 MLP forward runs ~3× slower on 2 cores
 * (measured: 14.9 ms vs 5.3 ms for two 256×1024 products). Passive waiting removes the contention. The
 * launcher, the tests and the benchmarks export OMP_WAIT_POLICY=PASSIVE; {@link #init()} sets it for
 * embedders that did not, provided it runs before the first libtorch call.
 */
public final class NativeSetup {
    private static volatile boolean done;

    private NativeSetup() {}

    public static void init() {
        if (done) return;
        synchronized (NativeSetup.class) {
            if (done) return;
            done = true;
            if (System.getenv("OMP_WAIT_POLICY") != null) return;
            try {
                Linker linker = Linker.nativeLinker();
                var setenv = linker.defaultLookup().find("setenv").orElse(null);
                if (setenv == null) return;
                var handle = linker.downcallHandle(setenv, FunctionDescriptor.of(ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
                try (Arena arena = Arena.ofConfined()) {
                    int rc = (int) handle.invokeExact(arena.allocateFrom("OMP_WAIT_POLICY"), arena.allocateFrom("PASSIVE"), 0);
                    assert rc == 0;
                }
            } catch (Throwable ignored) {
                // best effort: without it libtorch still works, only slower on few cores
            }
        }
    }
}
