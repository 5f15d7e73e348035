package dev.orbit.bench;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * glibc's own account of its heap ({@code mallinfo2}): the bytes its arenas span and the part of them in use. The
 * difference is free space malloc keeps resident (with Orbit's launch settings it never gives it back), which tells
 * fragmentation from memory a program holds. Empty where the C library has no {@code mallinfo2} (musl, macOS).
 */
record MallocInfo(long arena, long mapped, long inUse) {
    private static final StructLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("arena"), ValueLayout.JAVA_LONG.withName("ordblks"),
            ValueLayout.JAVA_LONG.withName("smblks"), ValueLayout.JAVA_LONG.withName("hblks"),
            ValueLayout.JAVA_LONG.withName("hblkhd"), ValueLayout.JAVA_LONG.withName("usmblks"),
            ValueLayout.JAVA_LONG.withName("fsmblks"), ValueLayout.JAVA_LONG.withName("uordblks"),
            ValueLayout.JAVA_LONG.withName("fordblks"), ValueLayout.JAVA_LONG.withName("keepcost"));
    private static final MethodHandle MALLINFO2 = Linker.nativeLinker().defaultLookup().find("mallinfo2")
            .map(f -> Linker.nativeLinker().downcallHandle(f, FunctionDescriptor.of(LAYOUT))).orElse(null);

    /** Free bytes inside the arenas. */
    long free() { return arena - inUse; }

    static Optional<MallocInfo> now() {
        if (MALLINFO2 == null) return Optional.empty();
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment s = (MemorySegment) MALLINFO2.invokeExact((java.lang.foreign.SegmentAllocator) arena);
            return Optional.of(new MallocInfo(s.get(ValueLayout.JAVA_LONG, 0), s.get(ValueLayout.JAVA_LONG, 32),
                    s.get(ValueLayout.JAVA_LONG, 56)));
        } catch (Throwable e) {
            return Optional.empty();
        }
    }
}
