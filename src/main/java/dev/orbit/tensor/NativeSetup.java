package dev.orbit.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;

/**
 * Process settings libtorch must see before its native libraries load.
 * <ul>
 * <li>OMP_WAIT_POLICY=PASSIVE: libtorch runs its own ops on OpenMP threads and hands matrix products to
 * OpenBLAS's thread pool; with OpenMP's default active waiting the idle OpenMP threads spin on the cores OpenBLAS
 * needs, and a batch-256 MLP forward ran ~3× slower on 2 cores (14.9 ms vs 5.3 ms for two 256×1024 products).
 * <li>OPENBLAS_THREAD_TIMEOUT=4: the OpenBLAS 0.3.31 bundled with JavaCPP lets its workers busy-spin after each
 * call, taking a core from libtorch's pooling/convolution threads (a CNN training step: 81.6 ms → 43.2 ms).
 * </ul>
 * The launcher, the tests and the benchmarks export both (and glibc malloc settings that avoid per-step page
 * faults, which must be set before the JVM starts); {@link #init()} sets the first two for embedders that did
 * not, provided it runs before the first libtorch call.
 */
public final class NativeSetup {
    private static volatile boolean done;
    private static volatile boolean oneDnnOff;

    private NativeSetup() {}

    public static void init() {
        if (done) return;
        synchronized (NativeSetup.class) {
            if (done) return;
            done = true;
            try {
                Linker linker = Linker.nativeLinker();
                var setenv = linker.defaultLookup().find("setenv").orElse(null);
                if (setenv == null) return;
                var handle = linker.downcallHandle(setenv, FunctionDescriptor.of(ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
                try (Arena arena = Arena.ofConfined()) {
                    // overwrite = 0: a value the user exported wins
                    int a = (int) handle.invokeExact(arena.allocateFrom("OMP_WAIT_POLICY"), arena.allocateFrom("PASSIVE"), 0);
                    int b = (int) handle.invokeExact(arena.allocateFrom("OPENBLAS_THREAD_TIMEOUT"), arena.allocateFrom("4"), 0);
                    assert a == 0 && b == 0;
                }
            } catch (Throwable ignored) {
                // best effort: without it libtorch still works, only slower on few cores
            }
        }
    }

    /**
     * Turns libtorch's oneDNN (MKLDNN) kernels off, once per process. On the AMD EPYC development and CI machines
     * oneDNN's convolution returns wrong values (relative error ~1) for channel counts that are not multiples of 16,
     * and its deconvolution different values on every call (docs/NOTES.md); libtorch's own kernels are exact there.
     * Called by the ops that reach convolution, before their first libtorch call, so commands that compute nothing
     * never load libtorch.
     */
    public static void withoutOneDnn() {
        if (oneDnnOff) return;
        synchronized (NativeSetup.class) {
            if (oneDnnOff) return;
            init();
            org.bytedeco.pytorch.global.torch.globalContext().setUserEnabledMkldnn(false);
            oneDnnOff = true;
        }
    }
}
