package dev.orbit.fuzz;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.orbit.cli.TypedErrors;
import dev.orbit.io.idx.IdxReader;
import dev.orbit.tensor.NdArray;

/**
 * Fuzz target: IDX bytes (plain or gzip) → {@link IdxReader} → every value read back. Typed errors only; the
 * declared size may not make the reader allocate beyond the limits (Jazzer reports an OutOfMemoryError).
 */
class IdxFuzzTest {
    /** Jazzer's standalone driver calls this before fuzzing; JUnit runs it through the class initializer. */
    public static void fuzzerInitialize() { }

    static {
        FuzzSetup.warmUp(IdxFuzzTest::fuzzerTestOneInput, "src/test/resources/dev/orbit/fuzz/IdxFuzzTestInputs/idx/seed-gzip-images.gz");
    }

    @FuzzTest(maxDuration = "15s")
    void idx(byte[] data) {
        fuzzerTestOneInput(data);
    }

    public static void fuzzerTestOneInput(byte[] data) {
        try {
            NdArray a = IdxReader.read(new ByteArrayInputStream(data), "fuzz.idx", FuzzSetup.LIMITS);
            double sum = 0;
            for (long i = 0; i < a.size(); i++) sum += a.getAsDouble(i);
            if (Double.isNaN(sum) && !a.dtype().isFloating()) throw new AssertionError("integer IDX values gave NaN");
        } catch (IOException e) {
            throw new UncheckedIOException("a byte array cannot fail to read", e);
        } catch (RuntimeException e) {
            TypedErrors.requireTyped(e);
        }
    }
}
