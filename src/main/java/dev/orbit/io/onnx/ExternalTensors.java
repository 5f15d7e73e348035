package dev.orbit.io.onnx;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import ai.onnx.proto.OnnxMl;
import dev.orbit.graph.ModelFormatException;
import dev.orbit.io.ConfinedFolder;
import dev.orbit.io.Text;
import dev.orbit.io.UnsafePathException;

/**
 * Resolves ONNX external data: every location must name a regular file inside the model's folder
 * ({@link ConfinedFolder}), every range must lie inside its file, and no two tensors may share bytes. The bytes
 * are memory-mapped, never copied, so a multi-GB checkpoint costs no heap; because ranges cannot overlap, the
 * mapped total is bounded by the files that exist.
 */
final class ExternalTensors {
    private final ConfinedFolder folder;
    private final String model;
    /** Per resolved file: start offset → end offset of each range already handed out. */
    private final Map<Path, TreeMap<Long, Long>> taken = new HashMap<>();

    /** {@code folder} may be null (a model read from bytes): then any external data is refused. */
    ExternalTensors(ConfinedFolder folder, String model) {
        this.folder = folder;
        this.model = model;
    }

    /** The tensor's bytes, mapped read-only from its confined external file. */
    MemorySegment map(OnnxMl.TensorProto t, long bytes) {
        String who = "tensor " + Text.quote(t.getName()) + " external data";
        String location = null;
        long offset = 0;
        long length = -1;
        for (var kv : t.getExternalDataList()) {
            switch (kv.getKey()) {
                case "location" -> location = kv.getValue();
                case "offset" -> offset = number(kv.getValue(), "offset", who);
                case "length" -> length = number(kv.getValue(), "length", who);
                default -> { } // checksum and future keys: not needed to read the bytes
            }
        }
        if (location == null) throw new ModelFormatException(who + " names no file (no 'location' key)");
        if (length >= 0 && length != bytes) {
            throw new ModelFormatException(who + ": length " + length + " disagrees with its shape and type, which need " + bytes);
        }
        if (folder == null) {
            throw new UnsafePathException(who + " " + Text.quote(location) + ": '" + model
                    + "' was given as bytes, without a folder to read external data from; refused");
        }
        Path file = folder.resolve(location, who);
        try (FileChannel ch = ConfinedFolder.open(file)) {
            long size = ch.size();
            if (offset > size || bytes > size - offset) {
                throw new ModelFormatException(who + " " + Text.quote(location) + ": bytes " + offset + " to "
                        + (offset + bytes) + " lie beyond the file's end (" + size + " bytes)");
            }
            claim(file, offset, bytes, who, location);
            if (bytes == 0) return MemorySegment.ofArray(new byte[0]);
            return ch.map(FileChannel.MapMode.READ_ONLY, offset, bytes, Arena.ofAuto());
        } catch (IOException e) {
            throw new ModelFormatException("cannot read " + who + " " + Text.quote(location) + ": " + e.getMessage());
        }
    }

    /** Refuses a range that overlaps one handed out before: aliasing would let a small file claim a file many times. */
    private void claim(Path file, long offset, long bytes, String who, String location) {
        if (bytes == 0) return;
        TreeMap<Long, Long> ranges = taken.computeIfAbsent(file, f -> new TreeMap<>());
        var before = ranges.floorEntry(offset);
        var after = ranges.ceilingEntry(offset);
        if (before != null && before.getValue() > offset || after != null && after.getKey() < offset + bytes) {
            throw new ModelFormatException(who + " " + Text.quote(location) + ": bytes " + offset + " to " + (offset + bytes)
                    + " overlap another tensor's; refused");
        }
        ranges.put(offset, offset + bytes);
    }

    private static long number(String text, String key, String who) {
        try {
            long v = Long.parseLong(text.trim());
            if (v < 0) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new ModelFormatException(who + ": " + key + " " + Text.quote(text) + " is not a non-negative whole number");
        }
    }
}
