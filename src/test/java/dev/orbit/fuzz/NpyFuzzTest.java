package dev.orbit.fuzz;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.orbit.cli.TypedErrors;
import dev.orbit.io.inputs.NpyReader;
import dev.orbit.tensor.NdArray;

/** Fuzz target: .npy bytes → {@link NpyReader} → every value read back. Typed errors only, bounded allocation. */
class NpyFuzzTest {
    /** Jazzer's standalone driver calls this before fuzzing; JUnit runs it through the class initializer. */
    public static void fuzzerInitialize() { }

    static {
        FuzzSetup.warmUp(NpyFuzzTest::fuzzerTestOneInput, "src/test/resources/npy/v1-le-f4.npy");
    }

    @FuzzTest(maxDuration = "15s")
    void npy(byte[] data) {
        fuzzerTestOneInput(data);
    }

    public static void fuzzerTestOneInput(byte[] data) {
        try {
            NdArray a = NpyReader.read(new ByteArrayInputStream(data), "fuzz.npy", FuzzSetup.LIMITS);
            double sum = 0;
            for (long i = 0; i < a.size(); i++) sum += a.getAsDouble(i);
            if (Double.isNaN(sum) && !a.dtype().isFloating()) throw new AssertionError("integer .npy values gave NaN");
        } catch (IOException e) {
            throw new UncheckedIOException("a byte array cannot fail to read", e);
        } catch (RuntimeException e) {
            TypedErrors.requireTyped(e);
        }
    }
}
