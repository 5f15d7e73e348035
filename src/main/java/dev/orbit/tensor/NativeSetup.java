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
 * <li>ONEDNN_MAX_CPU_ISA=SSE41: libtorch's oneDNN convolution with its AVX, AVX2 and AVX-512 kernels returns wrong
 * values on the AMD EPYC (AVX-512, VNNI) development and CI machines (a 3×3 Conv with 24 or 40 input channels:
 * relative error 0.3 to 1, or infinities, with AVX-512; the densenet_block fixture: 1.2e-2 with AVX or AVX2);
 * capped at SSE4.1 it is exact, about 15 % slower than AVX2, and still several times faster for training than
 * libtorch's reference convolution, which turning oneDNN off altogether falls back to (docs/NOTES.md). oneDNN reads
 * the variable once, at its first primitive, so it must be set before the first convolution.
 * </ul>
 * {@link #init()} also sets the system property {@value #MAX_PHYSICAL_BYTES} to 0 unless it is set: otherwise JavaCPP
 * reads /proc/self/statm on every native allocation to enforce a physical-memory limit meant for memory that waits for
 * the garbage collector. Orbit frees native memory deterministically ({@code PointerScope}), and the check was 15 % of
 * the native samples of a small model's forward pass; without it the MobileNetV3 block runs in 0.67–0.72 ms instead of
 * 1.36–1.41 ms. JavaCPP reads the property once, when its {@code Pointer} class loads, so the launcher, the tests and
 * the benchmarks pass it on the command line as well.
 * {@link #initConvolution()} also turns libtorch's NNPACK off: NNPACK cannot initialise on these CPUs, and libtorch
 * retried it (printing a warning) on every convolution of the double-backward passes that the sharpness teleport runs.
 * The launcher, the tests and the benchmarks export the first two (and glibc malloc settings that avoid per-step page
 * faults, which must be set before the JVM starts); {@link #init()} sets all three for embedders that did not,
 * provided it runs before the first libtorch call, and turns oneDNN off if it cannot.
 */
public final class NativeSetup {
    /** JavaCPP's physical-memory limit; 0 turns its per-allocation check off. */
    public static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxPhysicalBytes";

    private static volatile boolean done;

    private NativeSetup() {}

    public static void init() {
        if (done) return;
        synchronized (NativeSetup.class) {
            if (done) return;
            done = true;
            if (System.getProperty(MAX_PHYSICAL_BYTES) == null) System.setProperty(MAX_PHYSICAL_BYTES, "0");
            if (!setEnvironment()) {
                // without the SSE4.1 cap oneDNN's convolutions are not trustworthy here: use libtorch's own kernels
                org.bytedeco.pytorch.global.torch.globalContext().setUserEnabledMkldnn(false);
            }
        }
    }

    private static volatile boolean convolutionDone;

    /**
     * {@link #init()}, then libtorch's convolution settings (NNPACK off). Kept apart from {@link #init()} because it
     * loads libtorch, which commands that never convolve (a checkpoint teleport) need not pay for (≈ 2 s).
     */
    public static void initConvolution() {
        init();
        if (convolutionDone) return;
        synchronized (NativeSetup.class) {
            if (convolutionDone) return;
            org.bytedeco.pytorch.global.torch.globalContext().setUserEnabledNNPACK(false);
            convolutionDone = true;
        }
    }

    private static final String[][] ENVIRONMENT = {
            {"OMP_WAIT_POLICY", "PASSIVE"}, {"OPENBLAS_THREAD_TIMEOUT", "4"}, {"ONEDNN_MAX_CPU_ISA", "SSE41"}};

    /**
     * Sets the three variables unless the user exported them (overwrite = 0); false if setenv was unreachable. When
     * all three are already exported (the launcher, the tests and the benchmarks do) it makes no native call: linking
     * setenv took 85–97 ms of a JVM without the AOT cache (3 ms without the call); with the launcher's cache the
     * difference is within the start-up benchmark's noise.
     */
    private static boolean setEnvironment() {
        boolean exported = true;
        for (String[] kv : ENVIRONMENT) exported &= System.getenv(kv[0]) != null;
        if (exported) return true;
        try {
            Linker linker = Linker.nativeLinker();
            var setenv = linker.defaultLookup().find("setenv").orElse(null);
            if (setenv == null) return false;
            var handle = linker.downcallHandle(setenv, FunctionDescriptor.of(ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            try (Arena arena = Arena.ofConfined()) {
                boolean ok = true;
                for (String[] kv : ENVIRONMENT) {
                    ok &= (int) handle.invokeExact(arena.allocateFrom(kv[0]), arena.allocateFrom(kv[1]), 0) == 0;
                }
                return ok;
            }
        } catch (Throwable unreachable) {
            return false;
        }
    }
}
