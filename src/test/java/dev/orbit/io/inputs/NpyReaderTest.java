package dev.orbit.io.inputs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import dev.orbit.graph.ModelFormatException;
import dev.orbit.io.LimitExceededException;
import dev.orbit.io.ReadLimits;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/** Files written by numpy itself (scripts/make_npy_fixtures.py) read back exactly; malformed headers are refused. */
class NpyReaderTest {
    static final Path DIR = Path.of("src/test/resources/npy");

    /** The values make_npy_fixtures.py writes. */
    static double expected(DType t, long i) {
        long k = i % 7;
        return switch (t) {
            case FLOAT32, FLOAT64 -> k * 1.5 - 4;
            case UINT8 -> k * 37;
            default -> k * 3 - 9;
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1-le-f4", "v1-be-f4", "v1-le-f8", "v1-be-f8", "v1-le-i4", "v1-be-i4", "v1-le-i8", "v1-be-i8",
            "v1-na-u1", "v2-le-f4", "v3-le-f4", "v1-scalar-f8", "v1-empty-f4"})
    void readsWhatNumpyWrote(String name) {
        NdArray a = NpyReader.read(DIR.resolve(name + ".npy"));
        DType want = switch (name.substring(name.length() - 2)) {
            case "f4" -> DType.FLOAT32;
            case "f8" -> DType.FLOAT64;
            case "i4" -> DType.INT32;
            case "i8" -> DType.INT64;
            default -> DType.UINT8;
        };
        assertEquals(want, a.dtype());
        long[] shape = name.startsWith("v1-scalar") ? new long[0] : name.startsWith("v1-empty") ? new long[] {0, 4}
                : name.startsWith("v1") ? new long[] {2, 3, 4} : new long[] {3, 5};
        assertArrayEquals(shape, a.shape());
        for (long i = 0; i < a.size(); i++) assertEquals(expected(want, i), a.getAsDouble(i), 0, name + " value " + i);
    }

    @Test
    void refusesWhatItDoesNotRead() {
        var f = assertThrows(ModelFormatException.class, () -> NpyReader.read(DIR.resolve("v1-fortran-f4.npy")));
        assertTrue(f.getMessage().contains("Fortran order"), f.getMessage());
        var h = assertThrows(ModelFormatException.class, () -> NpyReader.read(DIR.resolve("v1-le-f2.npy")));
        assertTrue(h.getMessage().contains("'<f2'"), h.getMessage());
    }

    private static NdArray parse(String header, int payload, ReadLimits limits) throws IOException {
        var out = new ByteArrayOutputStream();
        byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
        out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) h.length, (byte) (h.length >> 8)});
        out.write(h);
        out.write(new byte[payload]);
        return NpyReader.read(new ByteArrayInputStream(out.toByteArray()), "test.npy", limits);
    }

    @Test
    void headersThatLieAreRefusedBeforeAllocating() {
        ReadLimits limits = ReadLimits.defaults();
        // 2^40 floats declared, 16 bytes present
        assertThrows(LimitExceededException.class, () -> parse("{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776,), }", 16, limits));
        var t = assertThrows(ModelFormatException.class, () -> parse("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000,), }", 16, limits));
        assertTrue(t.getMessage().contains("truncated"), t.getMessage());
        assertThrows(LimitExceededException.class, () -> parse("{'descr': '<f4', 'fortran_order': False, 'shape': (999999999999999999, 999999999999999999), }", 0, limits));
        for (String bad : new String[] {
                "{'descr': '<f4', 'fortran_order': False}",                                  // no shape
                "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }",               // negative
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'shape': (2,)}",    // twice
                "{'descr': '<f4', 'fortran_order': 0, 'shape': (2,), }",                     // not a bool
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}",          // unknown key
                "{'descr': 'O', 'fortran_order': False, 'shape': (2,), }",                   // pickled objects
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), } trailing",
                "__import__('os').system('true')",                                           // never evaluated
        }) {
            assertThrows(ModelFormatException.class, () -> parse(bad, 8, limits), bad);
        }
        // bytes after the values
        assertThrows(ModelFormatException.class, () -> parse("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", 8, limits));
        // within the limit by default, over it when lowered
        assertThrows(LimitExceededException.class, () -> parse("{'descr': '<f8', 'fortran_order': False, 'shape': (1024,), }", 8192,
                limits.withMaxBytes(4096)));
    }

    @Test
    void notNpyAtAll() throws IOException {
        Path p = Files.createTempFile("x", ".npy");
        Files.writeString(p, "hello");
        assertThrows(ModelFormatException.class, () -> NpyReader.read(p));
        assertThrows(ModelFormatException.class, () -> NpyReader.read(p.resolveSibling("missing-" + p.getFileName())));
        Files.delete(p);
    }
}
