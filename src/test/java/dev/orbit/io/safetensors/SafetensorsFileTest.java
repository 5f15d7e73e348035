package dev.orbit.io.safetensors;

import static dev.orbit.io.safetensors.RawFiles.entry;
import static dev.orbit.io.safetensors.RawFiles.file;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading, writing and byte-exact round trips of safetensors files. */
class SafetensorsFileTest {
    static final Path CHECKPOINTS = Path.of("src/test/resources/checkpoints");

    @TempDir
    Path tmp;

    static List<Path> fixtureFiles() throws IOException {
        try (Stream<Path> s = Files.walk(CHECKPOINTS)) {
            return s.filter(p -> p.toString().endsWith(".safetensors")).sorted().toList();
        }
    }

    @Test
    void roundTripsAreByteExact() throws IOException {
        List<Path> files = fixtureFiles();
        assertEquals(7, files.size(), files.toString());
        for (Path p : files) {
            Path out = tmp.resolve(p.getParent().getFileName() + "-" + p.getFileName());
            try (var f = SafetensorsFile.open(p)) {
                SafetensorsWriter.copy(f, out);
            }
            assertArrayEquals(Files.readAllBytes(p), Files.readAllBytes(out), p.toString());
        }
    }

    /** A positioned read into a caller's buffer gives the mapped bytes, for files and for in-memory files. */
    @Test
    void readsIntoABufferWhatTheMappingHolds() throws IOException {
        for (Path p : fixtureFiles()) {
            try (var f = SafetensorsFile.open(p); var memory = SafetensorsFile.of(Files.readAllBytes(p), p.toString());
                    var arena = java.lang.foreign.Arena.ofConfined()) {
                long largest = f.header().entries().stream().mapToLong(TensorEntry::byteLength).max().orElse(0);
                MemorySegment buffer = arena.allocate(largest + 16);
                for (TensorEntry e : f.header().entries()) {
                    for (SafetensorsFile source : List.of(f, memory)) {
                        buffer.fill((byte) 0x5a);
                        StoredTensor read = source.read(e, buffer);
                        assertEquals(-1, read.bytes().mismatch(f.bytes(e)), p + " " + e.name());
                        assertEquals((byte) 0x5a, buffer.get(java.lang.foreign.ValueLayout.JAVA_BYTE, e.byteLength()), "wrote past the tensor");
                    }
                }
            }
        }
    }

    /** The fixtures were laid out by scripts/make_checkpoints.py the way the reference writer does: Orbit's canonical layout reproduces them. */
    @Test
    void canonicalLayoutReproducesReferenceWrittenFiles() throws IOException {
        for (Path p : fixtureFiles()) {
            try (var f = SafetensorsFile.open(p)) {
                List<StoredTensor> tensors = new ArrayList<>();
                for (String n : f.names().reversed()) tensors.add(f.tensor(n)); // input order must not matter
                Header canonical = Header.layout(tensors.stream().map(t -> new TensorSpec(t.name(), t.type(), t.shape())).toList(),
                        f.header().metadata());
                assertArrayEquals(f.header().encoded(), canonical.encoded(), p.toString());
                Path out = tmp.resolve("canonical.safetensors");
                SafetensorsWriter.write(out, tensors, f.header().metadata());
                assertArrayEquals(Files.readAllBytes(p), Files.readAllBytes(out), p.toString());
            }
        }
    }

    /** Byte images from the reference implementation's own serialization tests, rebuilt from their description. */
    @Test
    void canonicalEncodingMatchesTheReferenceImplementation() {
        MemorySegment six = Values.encode(ElementType.F32, new double[] {0, 1, 2, 3, 4, 5});
        StoredTensor attn = new StoredTensor("attn.0", ElementType.F32, new long[] {1, 2, 3}, six);
        byte[] bytes = SafetensorsWriter.toBytes(Header.layout(List.of(new TensorSpec("attn.0", ElementType.F32, new long[] {1, 2, 3})), null),
                e -> attn.bytes());
        String json = "{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}"; // 64 bytes: no padding
        assertArrayEquals(file(json.getBytes(StandardCharsets.UTF_8), six.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)), bytes);

        byte[] empty = SafetensorsWriter.toBytes(Header.layout(List.of(), null), e -> null);
        assertArrayEquals(file("{}      ".getBytes(StandardCharsets.UTF_8), new byte[0]), empty);
        byte[] withMeta = SafetensorsWriter.toBytes(Header.layout(List.of(), Map.of("framework", "pt")), e -> null);
        assertArrayEquals(file("{\"__metadata__\":{\"framework\":\"pt\"}}     ".getBytes(StandardCharsets.UTF_8), new byte[0]), withMeta);
        assertEquals(40, withMeta.length - 8);
    }

    @Test
    void canonicalOrderIsTypeSizeThenNameBytes() {
        List<TensorSpec> specs = new ArrayList<>();
        String[] types = {"BOOL", "U8", "I8", "I16", "F16", "BF16", "I32", "F32", "F64", "I64"};
        for (String t : types) specs.add(new TensorSpec("t_" + t, ElementType.valueOf(t), new long[] {3}));
        specs.add(new TensorSpec("a_é", ElementType.F32, new long[] {1}));
        specs.add(new TensorSpec("a_z", ElementType.F32, new long[] {1}));
        specs.add(new TensorSpec("a_\uD83D\uDE00", ElementType.F32, new long[] {1})); // astral: after U+00E9 in UTF-8 bytes
        Header h = Header.layout(specs, null);
        assertEquals(List.of("t_I64", "t_F64", "a_z", "a_é", "a_\uD83D\uDE00", "t_F32", "t_I32", "t_BF16", "t_F16", "t_I16", "t_I8", "t_U8", "t_BOOL"),
                h.names());
        assertEquals(0, h.encodedLength() % 8);
        long at = 0;
        for (TensorEntry e : h.entries()) {
            assertEquals(at, e.begin());
            at = e.end();
        }
        // offsets in canonical order keep every tensor aligned to its element size when the data starts 8-aligned
        for (TensorEntry e : h.entries()) assertEquals(0, e.begin() % e.type().byteSize, e.name());
    }

    @Test
    void escapesLikeSerdeJson() {
        Header h = Header.layout(List.of(new TensorSpec("q\"\\\n\u0001é/", ElementType.U8, new long[] {1})), null);
        String json = new String(h.encoded(), StandardCharsets.UTF_8).trim();
        assertEquals("{\"q\\\"\\\\\\n\\u0001é/\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", json);
        try (var f = SafetensorsFile.of(file(h.encoded(), new byte[1]), "x")) {
            assertEquals("q\"\\\n\u0001é/", f.names().getFirst());
        }
    }

    @Test
    void everySupportedTypeDecodesAndViewsInLibtorch() {
        double[] values = {-2.5, 0, 1, 3.140625, 100};
        List<StoredTensor> ts = new ArrayList<>();
        for (ElementType t : ElementType.values()) {
            MemorySegment seg = MemorySegment.ofArray(new byte[values.length * t.byteSize]);
            for (int i = 0; i < values.length; i++) {
                double v = values[i];
                switch (t) {
                    case F64, F32, F16, BF16 -> Values.set(t, seg, i, v);
                    case I64 -> seg.setAtIndex(Values.I64, i, (long) v);
                    case I32 -> seg.setAtIndex(Values.I32, i, (int) v);
                    case I16 -> seg.setAtIndex(Values.I16, i, (short) v);
                    case I8, U8 -> seg.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) v);
                    case BOOL -> seg.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) (v == 0 ? 0 : 1));
                }
            }
            ts.add(new StoredTensor("t" + t, t, new long[] {values.length}, seg));
        }
        Path p = tmp.resolve("all.safetensors");
        SafetensorsWriter.write(p, ts, Map.of("format", "pt"));
        try (var f = SafetensorsFile.open(p); PointerScope scope = new PointerScope()) {
            assertEquals(Map.of("format", "pt"), f.header().metadata());
            for (ElementType t : ElementType.values()) {
                StoredTensor s = f.tensor("t" + t);
                assertTrue(s.bytes().isNative(), "mapped, not copied to the heap");
                double[] expected = values.clone();
                for (int i = 0; i < expected.length; i++) {
                    expected[i] = switch (t) {
                        case I64, I32, I16, I8 -> (long) values[i];
                        case U8 -> (long) values[i] & 0xff;
                        case BOOL -> values[i] == 0 ? 0 : 1;
                        default -> values[i]; // all five values are exact in every float type
                    };
                }
                assertArrayEquals(expected, s.toDoubles(), t.name());
                Tensor tt = s.toTorch(ScalarType.Double);
                double[] fromTorch = new double[values.length];
                for (int i = 0; i < values.length; i++) fromTorch[i] = tt.get(i).item_double();
                assertArrayEquals(expected, fromTorch, t.name() + " through libtorch");
            }
        }
    }

    @Test
    void halfAndBfloat16RoundLikeLibtorch() {
        assertEquals((short) 0x3F80, Values.floatToBf16(1f));
        assertEquals((short) 0x3F80, Values.floatToBf16(Float.intBitsToFloat(0x3F808000))); // tie → even (down)
        assertEquals((short) 0x3F82, Values.floatToBf16(Float.intBitsToFloat(0x3F818000))); // tie → even (up)
        assertEquals((short) 0x3F81, Values.floatToBf16(Float.intBitsToFloat(0x3F808001)));
        assertTrue(Float.isNaN(Values.bf16ToFloat(Values.floatToBf16(Float.NaN))));
        assertEquals(Float.POSITIVE_INFINITY, Values.bf16ToFloat(Values.floatToBf16(Float.MAX_VALUE)));
        try (PointerScope scope = new PointerScope()) {
            double[] xs = {1.0009765625, 3.3333333, -7.1e-5, 65504.0, 1e-8, 123456.789};
            for (ElementType t : List.of(ElementType.F16, ElementType.BF16)) {
                MemorySegment mine = Values.encode(t, xs);
                StoredTensor viaTorch = new StoredTensor("x", t, new long[] {xs.length}, mine);
                Tensor reference = dev.orbit.tensor.NdArray.ofDoubles(xs, xs.length).toTorch().to(t.torchType).to(ScalarType.Double);
                for (int i = 0; i < xs.length; i++) {
                    assertEquals(reference.get(i).item_double(), viaTorch.get(i), 0.0, t + " " + xs[i]);
                }
            }
        }
    }

    @Test
    void unalignedTensorsAreViewedCorrectly() {
        // header of 13 bytes (no padding): the F64 data starts at byte 21, not 8-aligned
        String h = "{" + entry("d", "F64", "[2]", 0, 16) + "}";
        MemorySegment data = Values.encode(ElementType.F64, new double[] {1.5, -2.25});
        byte[] bytes = file(h.getBytes(StandardCharsets.UTF_8), data.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        Path p = tmp.resolve("u.safetensors");
        try {
            Files.write(p, bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (var f = SafetensorsFile.open(p); PointerScope scope = new PointerScope()) {
            assertFalse(f.tensor("d").bytes().address() % 8 == 0);
            Tensor t = f.tensor("d").torchView();
            assertEquals(-2.25, t.get(1).item_double());
            assertNull(f.header().metadata());
        }
    }

    @Test
    void streamingWriterAsksForOneTensorAtATimeInOffsetOrder() throws IOException {
        List<TensorSpec> specs = List.of(new TensorSpec("b", ElementType.F32, new long[] {4}),
                new TensorSpec("a", ElementType.F32, new long[] {2}), new TensorSpec("c", ElementType.F64, new long[] {1}));
        Header h = Header.layout(specs, new LinkedHashMap<>(Map.of("format", "pt")));
        List<String> asked = new ArrayList<>();
        Path p = tmp.resolve("s.safetensors");
        SafetensorsWriter.write(p, h, e -> {
            asked.add(e.name());
            return MemorySegment.ofArray(new byte[(int) e.byteLength()]);
        });
        assertEquals(List.of("c", "a", "b"), asked);
        assertEquals(h.fileLength(), Files.size(p));
    }

    @Test
    void aFailedWriteLeavesNothingBehind() throws IOException {
        Path p = tmp.resolve("f.safetensors");
        Header h = Header.layout(List.of(new TensorSpec("a", ElementType.F32, new long[] {2}), new TensorSpec("b", ElementType.F32, new long[] {2})), null);
        assertThrows(IllegalStateException.class, () -> SafetensorsWriter.write(p, h,
                e -> e.name().equals("a") ? MemorySegment.ofArray(new byte[8]) : MemorySegment.ofArray(new byte[3])));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(), s.toList());
        }
    }

    @Test
    void layoutRefusesDuplicateNames() {
        assertThrows(IllegalArgumentException.class, () -> Header.layout(List.of(new TensorSpec("a", ElementType.F32, new long[] {1}),
                new TensorSpec("a", ElementType.F16, new long[] {1})), null));
        assertThrows(IllegalArgumentException.class, () -> Header.layout(List.of(new TensorSpec("__metadata__", ElementType.F32, new long[] {1})), null));
    }
}
