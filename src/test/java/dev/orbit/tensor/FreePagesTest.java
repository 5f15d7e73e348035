package dev.orbit.tensor;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * {@link FreePages#release} gives back the free pages in the middle of malloc's heap, which freeing alone keeps
 * resident (a block allocated after them holds the top of the heap in place): 48 MB freed in 48 KiB blocks, below
 * any mmap threshold, must leave the resident set when released.
 */
class FreePagesTest {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final long BLOCK = 48 << 10;
    private static final int BLOCKS = 1000;

    @Test
    void freedPagesInsideTheHeapLeaveTheResidentSet() throws Throwable {
        var lookup = LINKER.defaultLookup();
        assumeTrue(lookup.find("malloc_trim").isPresent(), "glibc only");
        MethodHandle malloc = LINKER.downcallHandle(lookup.find("malloc").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        MethodHandle free = LINKER.downcallHandle(lookup.find("free").orElseThrow(), FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
        MemorySegment[] blocks = new MemorySegment[BLOCKS];
        for (int i = 0; i < BLOCKS; i++) {
            blocks[i] = ((MemorySegment) malloc.invokeExact(BLOCK)).reinterpret(BLOCK);
            blocks[i].fill((byte) 1); // resident
        }
        MemorySegment pin = (MemorySegment) malloc.invokeExact(64L);
        try {
            for (MemorySegment b : blocks) free.invokeExact(b);
            long freed = residentBytes();
            FreePages.release();
            long released = freed - residentBytes();
            assertTrue(released > BLOCK * BLOCKS / 2, "released " + released + " of " + BLOCK * BLOCKS + " freed bytes");
        } finally {
            free.invokeExact(pin);
        }
    }

    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
