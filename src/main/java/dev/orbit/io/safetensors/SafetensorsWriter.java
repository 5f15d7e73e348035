package dev.orbit.io.safetensors;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.orbit.io.AtomicFiles;

/**
 * Writes safetensors files tensor after tensor, through {@link AtomicFiles}: into a temporary file in the target's
 * folder, renamed over the target only when complete. Only one tensor is asked for at a time (in data-section
 * order), so memory is bounded by the largest tensor, not by the file.
 */
public final class SafetensorsWriter {
    private static final int CHUNK = 1 << 20;

    private SafetensorsWriter() {}

    /** Supplies the bytes of one tensor of the header being written (exactly {@code entry.byteLength()} of them). */
    @FunctionalInterface
    public interface TensorSource {
        MemorySegment bytes(TensorEntry entry);
    }

    /** Writes {@code header} (its exact bytes) followed by each tensor's bytes in offset order. */
    public static void write(Path target, Header header, TensorSource source) {
        AtomicFiles.write(target, out -> writeTo(out, header, source));
    }

    /** Writes a new file holding {@code tensors} (any order) in Orbit's canonical layout ({@link Header#layout}). */
    public static void write(Path target, List<StoredTensor> tensors, Map<String, String> metadata) {
        Header header = Header.layout(tensors.stream().map(t -> new TensorSpec(t.name(), t.type(), t.shape())).toList(), metadata);
        Map<String, StoredTensor> byName = new java.util.HashMap<>();
        for (StoredTensor t : tensors) byName.put(t.name(), t);
        write(target, header, e -> byName.get(e.name()).bytes());
    }

    /** Copies {@code file} to {@code target}: the same header bytes and data, so the copy is byte-identical. */
    public static void copy(SafetensorsFile file, Path target) {
        write(target, file.header(), file::bytes);
    }

    /** The whole file as written to a stream (used by {@link #write}; exposed for in-memory round trips). */
    public static void writeTo(OutputStream out, Header header, TensorSource source) throws IOException {
        byte[] encoded = header.encoded();
        long n = encoded.length;
        byte[] prefix = new byte[8];
        for (int i = 0; i < 8; i++) prefix[i] = (byte) (n >>> (8 * i));
        out.write(prefix);
        out.write(encoded);
        byte[] chunk = new byte[CHUNK];
        for (TensorEntry e : header.inOffsetOrder()) {
            MemorySegment bytes = source.bytes(e);
            if (bytes == null || bytes.byteSize() != e.byteLength()) {
                throw new IllegalStateException("tensor '" + e.name() + "' needs " + e.byteLength() + " bytes, the source gave "
                        + (bytes == null ? "none" : bytes.byteSize()));
            }
            for (long at = 0; at < bytes.byteSize(); at += CHUNK) {
                int len = (int) Math.min(CHUNK, bytes.byteSize() - at);
                MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, at, chunk, 0, len);
                out.write(chunk, 0, len);
            }
        }
    }

    /** The whole file in memory (small files and tests). */
    public static byte[] toBytes(Header header, TensorSource source) {
        var out = new java.io.ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8, header.fileLength()));
        try {
            writeTo(out, header, source);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
