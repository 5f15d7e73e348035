package dev.orbit.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

/** The process settings {@link NativeSetup} promises are in force once libtorch is in use. */
class NativeSetupTest {
    @Test
    void javacppSkipsItsPhysicalMemoryCheck() {
        NdArray.ofDoubles(new double[] {1, 2}, 2).toTorch(); // the usual way into libtorch, which runs NativeSetup.init()
        assertEquals("0", System.getProperty(NativeSetup.MAX_PHYSICAL_BYTES));
        // JavaCPP read the property when Pointer loaded: 0 means no /proc read on each native allocation
        assertEquals(0, Pointer.maxPhysicalBytes());
    }
}
