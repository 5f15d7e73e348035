package dev.orbit.tensor;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Hands the free pages inside malloc's arenas back to the system (glibc's {@code malloc_trim(0)}, which releases
 * every whole free page, not only the top of the heap, whatever the trim threshold). Orbit's launchers turn
 * trimming off so that training does not fault its activations in again every step; an evaluation of a
 * float16/bfloat16 model, whose blocks and half results are freed between the JIT compiler's and other allocations,
 * otherwise leaves its arena fragmented and resident, growing evaluation after evaluation (docs/CONFORMANCE.md,
 * "float16 memory"). A no-op where the C library has no {@code malloc_trim}.
 */
public final class FreePages {
    private static final MethodHandle MALLOC_TRIM = Linker.nativeLinker().defaultLookup().find("malloc_trim")
            .map(f -> Linker.nativeLinker().downcallHandle(f, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG)))
            .orElse(null);

    private FreePages() {}

    /** Returns the arenas' free pages to the system; the memory stays malloc's, and is faulted in again on reuse. */
    public static void release() {
        if (MALLOC_TRIM == null) return;
        try {
            int unused = (int) MALLOC_TRIM.invokeExact(0L);
        } catch (Throwable e) {
            throw new IllegalStateException("malloc_trim failed", e);
        }
    }
}
