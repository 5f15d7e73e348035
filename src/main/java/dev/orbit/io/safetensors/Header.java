package dev.orbit.io.safetensors;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated safetensors header: the tensor entries in the order of their keys in the JSON, the optional
 * {@code __metadata__} (string → string, key order kept) and the exact header bytes. A header read from a file
 * keeps the file's bytes, so writing it back is byte-exact whatever JSON formatting the producer chose; a header
 * made by {@link #layout} gets Orbit's canonical encoding, which is the reference implementation's (see
 * docs/CHECKPOINTS.md).
 */
public final class Header {
    /** The reference implementation's limit on the JSON header (bytes); Orbit refuses larger headers too. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    /** The header key for file-level metadata. */
    public static final String METADATA_KEY = "__metadata__";

    private final List<TensorEntry> entries;
    private final Map<String, TensorEntry> byName;
    private final Map<String, String> metadata;
    private final byte[] encoded;
    private final long dataLength;

    private Header(List<TensorEntry> entries, Map<String, String> metadata, byte[] encoded) {
        this.entries = List.copyOf(entries);
        Map<String, TensorEntry> index = new HashMap<>();
        for (TensorEntry e : entries) index.put(e.name(), e);
        this.byName = index;
        this.metadata = metadata == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        this.encoded = encoded;
        long end = 0;
        for (TensorEntry e : entries) end = Math.max(end, e.end());
        this.dataLength = end;
    }

    /** A parsed header; the caller ({@link HeaderParser}) has validated the entries against the data section. */
    static Header parsed(List<TensorEntry> entries, Map<String, String> metadata, byte[] original) {
        return new Header(entries, metadata, original.clone());
    }

    /**
     * The header Orbit writes for a new file: tensors sorted by descending element size class (the reference
     * implementation's dtype order: I64, F64, F32, I32, BF16, F16, I16, I8, U8, BOOL), then by name (UTF-8 bytes),
     * packed without gaps in that order; keys in the same order, {@code __metadata__} first when given; compact
     * JSON padded with spaces to a multiple of 8 bytes, so the data section starts 8-byte aligned.
     */
    public static Header layout(List<TensorSpec> tensors, Map<String, String> metadata) {
        List<TensorSpec> sorted = new ArrayList<>(tensors);
        sorted.sort(Comparator.comparingInt((TensorSpec t) -> -t.type().order)
                .thenComparing((a, b) -> Arrays.compareUnsigned(utf8(a.name()), utf8(b.name()))));
        List<TensorEntry> entries = new ArrayList<>();
        var seen = new java.util.HashSet<String>();
        long offset = 0;
        for (TensorSpec t : sorted) {
            if (t.name().equals(METADATA_KEY)) throw new IllegalArgumentException("a tensor cannot be named " + METADATA_KEY);
            if (!seen.add(t.name())) throw new IllegalArgumentException("tensor '" + t.name() + "' is listed twice");
            long n = TensorEntry.byteLength(t.name(), t.type(), t.shape());
            entries.add(new TensorEntry(t.name(), t.type(), t.shape(), offset, offset + n));
            offset += n;
        }
        if (metadata != null) metadata.forEach((k, v) -> {
            if (k == null || v == null) throw new IllegalArgumentException("metadata keys and values must not be null");
        });
        return new Header(entries, metadata, HeaderJson.encode(entries, metadata));
    }

    /** Tensor entries in header key order. */
    public List<TensorEntry> entries() { return entries; }

    /** Tensor entries in the order of their bytes in the data section (the order a streaming writer writes them). */
    public List<TensorEntry> inOffsetOrder() {
        List<TensorEntry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(TensorEntry::begin).thenComparingLong(TensorEntry::end));
        return sorted;
    }

    public List<String> names() { return entries.stream().map(TensorEntry::name).toList(); }

    public boolean contains(String name) { return byName.containsKey(name); }

    /** The entry named {@code name}; a {@link SafetensorsFormatException} when there is none. */
    public TensorEntry entry(String name) {
        TensorEntry e = byName.get(name);
        if (e == null) throw new SafetensorsFormatException("no tensor named '" + name + "'");
        return e;
    }

    /** The {@code __metadata__} map in key order, or {@code null} when the header has none. */
    public Map<String, String> metadata() { return metadata; }

    /** The header bytes exactly as written between the length prefix and the data (padding included). */
    public byte[] encoded() { return encoded.clone(); }

    public int encodedLength() { return encoded.length; }

    /** Bytes of the data section (the sum of the tensors' byte lengths). */
    public long dataLength() { return dataLength; }

    /** Bytes of the whole file: 8-byte length prefix, header, data. */
    public long fileLength() { return 8L + encoded.length + dataLength; }

    static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    @Override public String toString() {
        return "safetensors header: " + entries.size() + " tensors, " + dataLength + " data bytes";
    }
}
