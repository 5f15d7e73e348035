package dev.orbit.io.safetensors;

import static dev.orbit.io.safetensors.RawFiles.entry;
import static dev.orbit.io.safetensors.RawFiles.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.orbit.graph.ModelFormatException;

/**
 * Every malformed or hostile header the reader must refuse: each gives a {@link SafetensorsFormatException} (a
 * {@link ModelFormatException}: exit code 3) with a message that names the problem, in bounded time and memory.
 */
class HostileHeaderTest {
    @TempDir
    Path tmp;

    private static String refused(byte[] bytes, String expected) {
        var e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.of(bytes, "hostile.safetensors"));
        assertTrue(e.getMessage().contains(expected), "message should mention '" + expected + "': " + e.getMessage());
        assertTrue(e.getMessage().startsWith("hostile.safetensors: "), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    private static String one(String dtype, String shape, long begin, long end) {
        return "{" + entry("w", dtype, shape, begin, end) + "}";
    }

    @Test
    void tooShortForTheLengthPrefix() {
        refused(new byte[0], "too short");
        refused(new byte[7], "too short");
    }

    @Test
    void hugeHeaderLengths() {
        refused(RawFiles.withLength(Header.MAX_HEADER_BYTES + 1, "{}".getBytes(), new byte[0]), "limit 100000000");
        refused(RawFiles.withLength(-1L, "{}".getBytes(), new byte[0]), "18446744073709551615");
        refused(RawFiles.withLength(Long.MAX_VALUE, "{}".getBytes(), new byte[0]), "limit");
        refused(RawFiles.withLength(4096, "{}".getBytes(), new byte[0]), "only 2 after the length");
    }

    @Test
    void notUtf8OrNotJson() {
        byte[] bad = {'{', '"', 'w', (byte) 0xFF, '"', ':', '1', '}'};
        refused(file(bad, new byte[0]), "not valid UTF-8");
        refused(file(new byte[] {'{', '"', (byte) 0xC0, (byte) 0x80, '"', '}'}, new byte[0]), "not valid UTF-8"); // overlong NUL
        refused(file("[1,2]", 0), "does not start with '{'");
        refused(file(" {}", 0), "does not start with '{'");
        refused(file("{\"w\":", 0), "not valid JSON");
        refused(file("{\"w\":{\"dtype\":\"F32\",}}", 0), "not valid JSON");
        refused(file("{} {}", 0), "after its JSON object");
        refused(file("{}x", 0), "not valid JSON");
        refused(file("{'w':1}", 0), "not valid JSON");
        refused(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]} /* c */}", 4), "not valid JSON");
    }

    @Test
    void paddingWithSpacesAndJsonWhitespaceIsAccepted() {
        try (var f = SafetensorsFile.of(file(one("F32", "[1]", 0, 4) + "   \n\t ", 4), "ok")) {
            assertEquals(1, f.names().size());
        }
    }

    @Test
    void duplicateKeys() {
        String e = entry("w", "F32", "[1]", 0, 4);
        refused(file("{" + e + "," + entry("w", "F32", "[1]", 4, 8) + "}", 8), "lists 'w' twice");
        refused(file("{\"__metadata__\":{\"a\":\"1\",\"a\":\"2\"}," + e + "}", 4), "lists 'a' twice");
        refused(file("{\"__metadata__\":{},\"__metadata__\":{}," + e + "}", 4), "lists '__metadata__' twice");
        refused(file("{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "dtype twice");
    }

    @Test
    void deeplyNestedJsonFailsFastWithoutRecursion() {
        String deep = "[".repeat(200_000) + "]".repeat(200_000);
        refused(file("{\"w\":{\"dtype\":\"F32\",\"shape\":" + deep + ",\"data_offsets\":[0,4]}}", 4), "other than integers");
        refused(file("{\"w\":" + deep + "}", 0), "not an object");
        refused(file("{\"__metadata__\":{\"a\":" + "{".repeat(100_000) + "}}", 0), "not a string");
        refused(file("{\"__metadata__\":" + deep + "}", 0), "object of strings");
    }

    @Test
    void metadataMapsStringsToStrings() {
        refused(file("{\"__metadata__\":{\"n\":1}}", 0), "'n' is not a string");
        refused(file("{\"__metadata__\":null}", 0), "object of strings");
    }

    @Test
    void dtypes() {
        refused(file(one("U16", "[2]", 0, 4), 4), "tensor 'w' has dtype U16, which Orbit does not support");
        refused(file(one("U64", "[1]", 0, 8), 8), "dtype U64");
        refused(file(one("F8_E4M3", "[4]", 0, 4), 4), "tensor 'w' has dtype F8_E4M3");
        refused(file(one("F8_E5M2", "[4]", 0, 4), 4), "F8_E5M2");
        refused(file(one("float32", "[1]", 0, 4), 4), "unknown dtype 'float32'");
        refused(file("{\"w\":{\"dtype\":5,\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "dtype is not a string");
    }

    @Test
    void wrongDtypeSizes() {
        refused(file(one("F32", "[2,3]", 0, 20), 20), "F32 [2, 3] = 24 bytes, but data_offsets [0, 20) hold 20");
        refused(file(one("BF16", "[3]", 0, 3), 3), "= 6 bytes");
        refused(file(one("F64", "[1]", 0, 4), 4), "= 8 bytes");
    }

    @Test
    void negativeOverflowingAndNonIntegerShapes() {
        refused(file(one("F32", "[-1]", 0, 4), 4), "negative value -1");
        refused(file(one("F32", "[4294967296,4294967296]", 0, 4), 4), "overflows a 64-bit integer");
        refused(file(one("F64", "[2305843009213693952]", 0, 8), 8), "byte length of tensor 'w'");
        refused(file(one("F32", "[99999999999999999999]", 0, 4), 4), "does not fit a 64-bit integer");
        refused(file(one("F32", "[1.0]", 0, 4), 4), "other than integers");
        refused(file(one("F32", "[1e3]", 0, 4), 4), "other than integers");
        refused(file(one("F32", "[\"1\"]", 0, 4), 4), "other than integers");
        refused(file(one("F32", "[" + "1,".repeat(100) + "1]", 0, 4), 4), "more than 64 entries");
        refused(file(one("F32", "[0" + "1".repeat(40) + "]", 0, 4), 4), "not valid JSON");
    }

    @Test
    void offsets() {
        refused(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 4), "data_offsets must be [begin, end]");
        refused(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", 4), "more than 2 entries");
        refused(file(one("F32", "[0]", 8, 4), 8), "end before they begin");
        refused(file(one("F32", "[1]", -4, 0), 4), "negative value -4");
    }

    @Test
    void outOfBounds() {
        refused(file(one("F32", "[4]", 0, 16), 8), "run past the end of the data (8 bytes)");
        // a 1 KB file that declares a 4 TB tensor: refused from the header alone, nothing allocated
        refused(file(one("F32", "[1099511627776]", 0, 4398046511104L), 1024), "run past the end");
    }

    @Test
    void overlapsGapsAndTrailingBytes() {
        refused(file("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 4, 12) + "}", 12),
                "tensor 'b' [4, 12) overlaps tensor 'a' [0, 8)");
        refused(file("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 0, 8) + "}", 8), "overlaps");
        refused(file("{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("b", "F32", "[1]", 8, 12) + "}", 12),
                "a gap of 4 bytes lies before tensor 'b'");
        refused(file(one("F32", "[1]", 4, 8), 8), "a gap of 4 bytes lies before tensor 'w'");
        refused(file(one("F32", "[1]", 0, 4), 6), "2 bytes follow the last tensor");
        refused(file("{}", 1), "1 bytes follow the last tensor");
        // an empty tensor inside another one's bytes is an overlap too
        refused(file("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("e", "F32", "[0]", 4, 4) + "}", 8), "overlaps");
    }

    @Test
    void entryStructure() {
        refused(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4), "lacks data_offsets");
        refused(file("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "lacks dtype");
        refused(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", 4), "unknown field 'x'");
        refused(file("{\"w\":[]}", 0), "is not an object");
        refused(file("{\"w\":{\"dtype\":\"F32\",\"shape\":1,\"data_offsets\":[0,4]}}", 4), "shape is not an array");
    }

    @Test
    void emptyTensorsAndScalarsAreValid() {
        String h = "{" + entry("s", "F64", "[]", 0, 8) + "," + entry("e", "F32", "[0,3]", 8, 8) + "," + entry("b", "BOOL", "[2]", 8, 10) + "}";
        try (var f = SafetensorsFile.of(file(h, 10), "ok")) {
            assertEquals(0, f.tensor("e").elementCount());
            assertEquals(1, f.tensor("s").elementCount());
            assertEquals(java.util.List.of("s", "e", "b"), f.names());
        }
    }

    @Test
    void filesOnDiskAreCheckedBeforeMapping() throws IOException {
        Path p = tmp.resolve("x.safetensors");
        Files.write(p, file(one("F32", "[1099511627776]", 0, 4398046511104L), 16));
        var e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(p));
        assertTrue(e.getMessage().contains("run past the end"), e.getMessage());
        assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(tmp));
        assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(tmp.resolve("missing.safetensors")));
    }

    /** Bit flips, truncations and splices of a real checkpoint: every outcome is a valid file or a typed error. */
    @Test
    void mutationsGiveOnlyTypedErrors() throws IOException {
        byte[] original = Files.readAllBytes(Path.of("src/test/resources/checkpoints/qwen3/model.safetensors"));
        int headerEnd = 8 + (int) java.nio.ByteBuffer.wrap(original, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        SplittableRandom rng = new SplittableRandom(20);
        int refusedCount = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] b;
            switch (i % 4) {
                case 0 -> { b = original.clone(); b[rng.nextInt(headerEnd)] ^= (byte) (1 << rng.nextInt(8)); }
                case 1 -> b = java.util.Arrays.copyOf(original, rng.nextInt(original.length));
                case 2 -> { b = original.clone(); b[rng.nextInt(8)] = (byte) rng.nextInt(256); }
                default -> {
                    b = original.clone();
                    int at = rng.nextInt(headerEnd), len = rng.nextInt(1, 16);
                    System.arraycopy(original, rng.nextInt(headerEnd - len), b, at, Math.min(len, headerEnd - at));
                }
            }
            try (var f = SafetensorsFile.of(b, "m")) {
                for (String n : f.names()) f.tensor(n).toDoubles();
            } catch (SafetensorsFormatException e) {
                refusedCount++;
            } catch (RuntimeException e) {
                fail("mutation " + i + " gave an untyped " + e, e);
            }
        }
        assertTrue(refusedCount > 2000, "most mutations must be refused: " + refusedCount);
    }
}
