package dev.orbit.io.safetensors;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * One safetensors file: an 8-byte little-endian header length N, N bytes of JSON header, then the data section.
 * {@link #open} maps the data section read-only into an {@link Arena} (one segment, any size: no 2 GiB limit and
 * no heap copy); {@link #of} reads the same format from bytes already in memory and is what the fuzz targets call.
 * Both validate the whole header before returning (see {@link HeaderParser}). Close the file to unmap it; tensors
 * viewed from it are invalid afterwards.
 */
public final class SafetensorsFile implements AutoCloseable {
    private final String source;
    private final Header header;
    private final MemorySegment data;
    private final Arena arena;
    /** The open file the data was mapped from (null for in-memory files), kept for {@link #copy}. */
    private final FileChannel channel;
    private final long dataStart;

    private SafetensorsFile(String source, Header header, MemorySegment data, Arena arena, FileChannel channel, long dataStart) {
        this.source = source;
        this.header = header;
        this.data = data;
        this.arena = arena;
        this.channel = channel;
        this.dataStart = dataStart;
    }

    /** Opens and validates {@code path}, mapping its data section. */
    public static SafetensorsFile open(Path path) {
        String source = path.toString();
        if (!Files.exists(path)) throw HeaderParser.fail(source, "no such file");
        if (!Files.isRegularFile(path)) throw HeaderParser.fail(source, "not a regular file");
        try {
            FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
            Arena arena = null;
            try {
                long size = ch.size();
                long n = headerLength(size, readFully(ch, 0, (int) Math.min(8, size)), source);
                Header header = HeaderParser.parse(readFully(ch, 8, (int) n), size - 8 - n, source);
                arena = Arena.ofShared();
                MemorySegment data = header.dataLength() == 0 ? MemorySegment.NULL
                        : ch.map(FileChannel.MapMode.READ_ONLY, 8 + n, header.dataLength(), arena);
                return new SafetensorsFile(source, header, data, arena, ch, 8 + n);
            } catch (IOException | RuntimeException e) {
                if (arena != null) arena.close();
                ch.close();
                throw e;
            }
        } catch (NoSuchFileException e) {
            throw HeaderParser.fail(source, "no such file");
        } catch (IOException e) {
            throw HeaderParser.fail(source, "cannot read: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }

    /** Parses a whole file held in {@code bytes} (not copied): a pure function of the bytes, for tests and fuzzing. */
    public static SafetensorsFile of(byte[] bytes, String source) {
        return of(MemorySegment.ofArray(bytes), source);
    }

    /** Parses a whole file held in {@code whole}; tensors are slices of it. */
    public static SafetensorsFile of(MemorySegment whole, String source) {
        long size = whole.byteSize();
        byte[] prefix = whole.asSlice(0, Math.min(8, size)).toArray(ValueLayout.JAVA_BYTE);
        long n = headerLength(size, prefix, source);
        byte[] json = whole.asSlice(8, n).toArray(ValueLayout.JAVA_BYTE);
        Header header = HeaderParser.parse(json, size - 8 - n, source);
        return new SafetensorsFile(source, header, whole.asSlice(8 + n), null, null, 8 + n);
    }

    /** The header length from the 8-byte prefix, checked against the limit and the file size. */
    private static long headerLength(long fileSize, byte[] prefix, String source) {
        if (prefix.length < 8) throw HeaderParser.fail(source, "only " + fileSize + " bytes: too short for a safetensors file (8-byte header length)");
        long n = ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 0 || n > Header.MAX_HEADER_BYTES) {
            throw HeaderParser.fail(source, "declares a header of " + Long.toUnsignedString(n) + " bytes (limit " + Header.MAX_HEADER_BYTES + ")");
        }
        if (n > fileSize - 8) {
            throw HeaderParser.fail(source, "declares a header of " + n + " bytes but the file has only " + (fileSize - 8) + " after the length");
        }
        return n;
    }

    private static byte[] readFully(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            int r = ch.read(buf, position + buf.position());
            if (r < 0) throw new IOException("file shrank while reading");
        }
        return buf.array();
    }

    public String source() { return source; }

    public Header header() { return header; }

    /** Tensor names in header order. */
    public List<String> names() { return header.names(); }

    public boolean contains(String name) { return header.contains(name); }

    public StoredTensor tensor(String name) { return tensor(header.entry(name)); }

    public StoredTensor tensor(TensorEntry e) {
        return new StoredTensor(e.name(), e.type(), e.shape(), bytes(e));
    }

    /** The raw bytes of one entry of this file's header. */
    public MemorySegment bytes(TensorEntry e) {
        return data.asSlice(e.begin(), e.byteLength());
    }

    /** The whole data section (tensor bytes in offset order). */
    public MemorySegment data() { return data; }

    /**
     * Appends the stored bytes of {@code e} to {@code target}. From a file, the kernel copies them
     * ({@link FileChannel#transferTo}: no page faults on the mapping, no copy through user space), from the same
     * open file that was validated and mapped; in memory, they are written from the segment.
     */
    public void copy(TensorEntry e, FileChannel target) throws IOException {
        if (channel == null) {
            dev.orbit.io.ChannelWrites.writeFully(target, bytes(e));
            return;
        }
        long at = dataStart + e.begin(), end = dataStart + e.end();
        while (at < end) {
            long n = channel.transferTo(at, end - at, target);
            if (n <= 0) throw new IOException(source + " shrank while copying '" + e.name() + "'");
            at += n;
        }
    }

    /**
     * Reads the stored bytes of {@code e} into {@code target} (exactly its byte length) and returns a view of them.
     * From a file this is a positioned read (pread): the kernel copies from its page cache in large requests with
     * its own readahead, where touching the mapping would fault the tensor in a few pages at a time.
     */
    public StoredTensor read(TensorEntry e, MemorySegment target) throws IOException {
        MemorySegment into = target.asSlice(0, e.byteLength());
        if (channel == null) {
            into.copyFrom(bytes(e));
        } else {
            ByteBuffer buffer = into.asByteBuffer();
            long at = dataStart + e.begin();
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, at);
                if (n < 0) throw new IOException(source + " shrank while reading '" + e.name() + "'");
                at += n;
            }
        }
        return new StoredTensor(e.name(), e.type(), e.shape(), into);
    }

    @Override public void close() {
        if (arena != null) arena.close();
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // read-only: nothing was buffered that closing could lose
            }
        }
    }

    @Override public String toString() { return source + " (" + header + ")"; }
}
