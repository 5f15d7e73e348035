package dev.orbit.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.function.LongConsumer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.orbit.io.AtomicFolders;
import dev.orbit.io.ChannelWrites;
import dev.orbit.io.safetensors.ElementType;
import dev.orbit.io.ConfinedFolder;
import dev.orbit.io.safetensors.Header;
import dev.orbit.io.safetensors.SafetensorsFile;
import dev.orbit.io.safetensors.ShardIndex;
import dev.orbit.io.safetensors.StoredTensor;
import dev.orbit.io.safetensors.TensorEntry;
import dev.orbit.io.safetensors.TensorSpec;

/**
 * Writes a moved checkpoint folder in the input's layout: the same shards (same file names, same tensors in the
 * same order), the same index and config, other files (tokenizer, generation config) copied. Tensors stream one at
 * a time: a tensor no move touches is copied from the mapped shard; a moved one is computed in float64 when the
 * writer reaches it (moves compose lazily, {@link Moves#lazy}) and stored in its own element type, or in
 * {@code outType} when one is given (then every floating tensor is converted). When nothing changes the layout —
 * no tensor added, types kept — every shard header, the index and the config keep their exact bytes. The folder
 * appears at {@code out} only when complete ({@link AtomicFolders}).
 */
public final class CheckpointWriter {
    private CheckpointWriter() {}

    public static void write(Checkpoint in, List<CheckpointMove> moves, ElementType outType, Path out) {
        write(in, moves, outType, out, bytes -> {});
    }

    /**
     * As above, reporting progress: {@code progress} receives the number of bytes written so far (of
     * {@link #outputBytes}) after every tensor.
     */
    public static void write(Checkpoint in, List<CheckpointMove> moves, ElementType outType, Path out, LongConsumer progress) {
        write(in, moves, outType, out, progress, ChunkedMoves.CHUNK_BYTES, dir -> true);
    }

    /**
     * As above, with a check of the complete folder before it is renamed to {@code out} (verification reads the
     * written shards back): when {@code accept} says no, nothing is left at {@code out} and {@link Rejected} is thrown.
     */
    public static void write(Checkpoint in, List<CheckpointMove> moves, ElementType outType, Path out, LongConsumer progress,
            java.util.function.Predicate<Path> accept) {
        write(in, moves, outType, out, progress, ChunkedMoves.CHUNK_BYTES, accept);
    }

    /** The written folder failed the caller's check; it was removed. */
    public static final class Rejected extends RuntimeException {
        Rejected(Path out) {
            super(out + " was not written: the written checkpoint failed its check");
        }
    }

    static void write(Checkpoint in, List<CheckpointMove> moves, ElementType outType, Path out, LongConsumer progress, long chunkBytes) {
        write(in, moves, outType, out, progress, chunkBytes, dir -> true);
    }

    static void write(Checkpoint in, List<CheckpointMove> moves, ElementType outType, Path out, LongConsumer progress, long chunkBytes,
            java.util.function.Predicate<Path> accept) {
        if (outType != null && !outType.isFloating()) throw new IllegalArgumentException("the output type must be floating, not " + outType);
        var tensors = in.tensors();
        ChunkedMoves chain = new ChunkedMoves(in.architecture(), moves, tensors::tensor, chunkBytes);
        Set<String> touched = chain.touched();
        Map<String, Header> headers = headers(in, chain, outType);
        boolean layoutKept = headers.entrySet().stream().allMatch(e -> e.getValue() == tensors.shard(e.getKey()).header());
        final Architecture result = chain.result();
        AtomicFolders.write(out, dir -> {
            long written = 0;
            List<TensorEntry> computed = new ArrayList<>();
            for (var kv : headers.entrySet()) {
                SafetensorsFile shard = tensors.shard(kv.getKey());
                for (TensorEntry e : kv.getValue().inOffsetOrder()) if (!copiedAsStored(shard, touched, e)) computed.add(e);
            }
            try (Arena arena = Arena.ofShared(); ComputeAhead ahead = new ComputeAhead(chain, computed, arena, tensors::entry,
                    (name, buffer) -> readStored(tensors.shard(tensors.shardOf(name)), tensors.entry(name), buffer))) {
                for (var kv : headers.entrySet()) {
                    SafetensorsFile shard = tensors.shard(kv.getKey());
                    try (FileChannel ch = FileChannel.open(dir.resolve(kv.getKey()), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                        byte[] encoded = kv.getValue().encoded();
                        ByteBuffer head = ByteBuffer.allocate(8 + encoded.length).order(ByteOrder.LITTLE_ENDIAN);
                        head.putLong(encoded.length).put(encoded).flip();
                        ChannelWrites.writeFully(ch, head);
                        written += head.capacity();
                        for (TensorEntry e : kv.getValue().inOffsetOrder()) {
                            if (copiedAsStored(shard, touched, e)) shard.copy(shard.header().entry(e.name()), ch);
                            else ChannelWrites.writeFully(ch, ahead.take(e));
                            written += e.byteLength();
                            progress.accept(written);
                        }
                    }
                }
            }
            Path folder = in.folder();
            if (tensors.index().isPresent()) {
                byte[] index = layoutKept ? tensors.index().get().encoded() : newIndex(headers);
                Files.write(dir.resolve(dev.orbit.io.safetensors.SafetensorsFolder.INDEX), index);
            }
            Files.write(dir.resolve(Checkpoint.CONFIG), config(in, result, outType));
            Set<String> names = new HashSet<>(headers.keySet());
            names.add(Checkpoint.CONFIG);
            names.add(dev.orbit.io.safetensors.SafetensorsFolder.INDEX);
            try (Stream<Path> files = Files.list(folder)) {
                for (Path p : files.sorted().toList()) {
                    String name = p.getFileName().toString();
                    if (names.contains(name) || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) continue;
                    Files.copy(ConfinedFolder.of(folder, dev.orbit.io.safetensors.SafetensorsFolder.FOLDER).resolve(name, "file"), dir.resolve(name));
                }
            }
            if (!accept.test(dir)) throw new Rejected(out);
        });
    }

    private static StoredTensor readStored(SafetensorsFile shard, TensorEntry e, MemorySegment buffer) {
        try {
            return shard.read(e, buffer);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Whether tensor {@code e} is written as the input stores it (present, untouched, same type). */
    private static boolean copiedAsStored(SafetensorsFile shard, Set<String> touched, TensorEntry e) {
        return shard.contains(e.name()) && !touched.contains(e.name()) && shard.header().entry(e.name()).type() == e.type();
    }

    /** Bytes of the shards {@link #write} writes (headers included): the progress bar's total. */
    public static long outputBytes(Checkpoint in, List<CheckpointMove> moves, ElementType outType) {
        long total = 0;
        for (Header h : headers(in, new ChunkedMoves(in.architecture(), moves, in.tensors()::tensor), outType).values()) total += h.fileLength();
        return total;
    }

    /** Each output shard's header: the input's own (same object) when names and types are kept, else a new layout. */
    private static Map<String, Header> headers(Checkpoint in, ChunkedMoves chain, ElementType outType) {
        var tensors = in.tensors();
        List<String> shards = tensors.shardNames();
        List<String> added = chain.touched().stream().filter(n -> !tensors.contains(n)).sorted().toList();
        String lastShard = shards.getLast();
        Map<String, Header> headers = new LinkedHashMap<>();
        boolean layoutKept = added.isEmpty() && (outType == null || allOfType(in, outType));
        for (String shard : shards) {
            Header original = tensors.shard(shard).header();
            if (layoutKept) {
                headers.put(shard, original);
                continue;
            }
            List<TensorSpec> specs = new ArrayList<>();
            for (TensorEntry e : original.entries()) specs.add(new TensorSpec(e.name(), typeOf(e.type(), outType), e.shape()));
            if (shard.equals(lastShard)) {
                for (String n : added) {
                    long[] shape = chain.result().plan().shapeOf(n);
                    specs.add(new TensorSpec(n, outType != null ? outType : headType(in, chain.result()), shape));
                }
            }
            headers.put(shard, Header.layout(specs, original.metadata()));
        }
        return headers;
    }

    private static boolean allOfType(Checkpoint in, ElementType type) {
        for (String n : in.tensors().names()) {
            ElementType t = in.tensors().entry(n).type();
            if (t.isFloating() && t != type) return false;
        }
        return true;
    }

    private static ElementType typeOf(ElementType stored, ElementType outType) {
        return outType != null && stored.isFloating() ? outType : stored;
    }

    /** An added head takes the embedding's type. */
    private static ElementType headType(Checkpoint in, Architecture a) {
        String embedding = a.plan().required().keySet().iterator().next();
        return in.tensors().entry(embedding).type();
    }

    private static byte[] newIndex(Map<String, Header> headers) {
        Map<String, String> weightMap = new LinkedHashMap<>();
        long total = 0;
        for (var kv : headers.entrySet()) {
            for (TensorEntry e : kv.getValue().entries()) weightMap.put(e.name(), kv.getKey());
            total += kv.getValue().dataLength();
        }
        return ShardIndex.create(weightMap, total).encoded();
    }

    /** The input's config.json bytes, or a rewrite when the head was untied or the type changed. */
    private static byte[] config(Checkpoint in, Architecture result, ElementType outType) throws IOException {
        boolean untied = in.architecture() instanceof DecoderArchitecture d && d.tied() && result instanceof DecoderArchitecture r && !r.tied();
        if (!untied && outType == null) return Files.readAllBytes(ConfinedFolder.of(in.folder(), dev.orbit.io.safetensors.SafetensorsFolder.FOLDER).resolve(Checkpoint.CONFIG, "config"));
        ObjectNode c = in.config().root().deepCopy();
        if (untied) c.put("tie_word_embeddings", false);
        if (outType != null) c.put("torch_dtype", switch (outType) {
            case F64 -> "float64";
            case F32 -> "float32";
            case F16 -> "float16";
            case BF16 -> "bfloat16";
            default -> throw new IllegalArgumentException(outType.name());
        });
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
        return (json.writeValueAsString(json.treeToValue(c, java.util.TreeMap.class)) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
