package dev.orbit.io.safetensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.orbit.io.ConfinedFolder;

/**
 * The tensors of a checkpoint folder: either {@code model.safetensors.index.json} and the shards its weight map
 * names, or a single {@code model.safetensors}. Every shard name is confined to the folder ({@link ConfinedFolder}),
 * every shard is validated and mapped, and the index must agree with the shards exactly: each listed tensor is in
 * its shard, and each shard holds only tensors the index assigns to it.
 */
public final class SafetensorsFolder implements AutoCloseable {
    public static final String INDEX = "model.safetensors.index.json";
    public static final String SINGLE = "model.safetensors";

    private final Path folder;
    private final ShardIndex index;
    private final Map<String, SafetensorsFile> shards;
    private final Map<String, String> shardOf;

    private SafetensorsFolder(Path folder, ShardIndex index, Map<String, SafetensorsFile> shards, Map<String, String> shardOf) {
        this.folder = folder;
        this.index = index;
        this.shards = shards;
        this.shardOf = shardOf;
    }

    /** How messages name the folder every file must stay in. */
    public static final String FOLDER = "the checkpoint folder";

    public static SafetensorsFolder open(Path folder) {
        if (!Files.isDirectory(folder)) throw new SafetensorsFormatException(folder + ": not a folder");
        boolean sharded = Files.exists(folder.resolve(INDEX), java.nio.file.LinkOption.NOFOLLOW_LINKS);
        if (!sharded && !Files.exists(folder.resolve(SINGLE), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new SafetensorsFormatException(folder + ": holds neither " + INDEX + " nor " + SINGLE);
        }
        Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
        try {
            if (!sharded) {
                SafetensorsFile file = SafetensorsFile.open(ConfinedFolder.of(folder, FOLDER).resolve(SINGLE, "tensor file"));
                shards.put(SINGLE, file);
                Map<String, String> shardOf = new LinkedHashMap<>();
                for (String name : file.names()) shardOf.put(name, SINGLE);
                return new SafetensorsFolder(folder, null, shards, shardOf);
            }
            ConfinedFolder confined = ConfinedFolder.of(folder, FOLDER);
            Path indexPath = confined.resolve(INDEX, "index");
            ShardIndex index = ShardIndex.parse(readIndex(indexPath), indexPath.toString());
            List<String> names = new ArrayList<>(index.shardNames());
            names.sort(null);
            for (String shard : names) shards.put(shard, SafetensorsFile.open(confined.resolve(shard, "shard")));
            for (var kv : index.weightMap().entrySet()) {
                if (!shards.get(kv.getValue()).contains(kv.getKey())) {
                    throw new SafetensorsFormatException(folder + ": the index puts tensor '" + kv.getKey() + "' in " + kv.getValue() + ", which does not hold it");
                }
            }
            for (var shard : shards.entrySet()) {
                for (String name : shard.getValue().names()) {
                    String listed = index.weightMap().get(name);
                    if (!shard.getKey().equals(listed)) {
                        throw new SafetensorsFormatException(folder + ": shard " + shard.getKey() + " holds tensor '" + name + "', which the index "
                                + (listed == null ? "does not list" : "puts in " + listed));
                    }
                }
            }
            return new SafetensorsFolder(folder, index, shards, new LinkedHashMap<>(index.weightMap()));
        } catch (RuntimeException e) {
            shards.values().forEach(SafetensorsFile::close);
            throw e;
        }
    }

    private static byte[] readIndex(Path path) {
        try {
            if (Files.size(path) > ShardIndex.MAX_BYTES) {
                throw new SafetensorsFormatException(path + ": index larger than " + ShardIndex.MAX_BYTES + " bytes");
            }
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new SafetensorsFormatException(path + ": cannot read: " + e.getMessage(), e);
        }
    }

    public Path folder() { return folder; }

    /** The index of a sharded checkpoint; empty for a single {@code model.safetensors}. */
    public Optional<ShardIndex> index() { return Optional.ofNullable(index); }

    /** Shard file names (sorted), or just {@code model.safetensors}. */
    public List<String> shardNames() { return List.copyOf(shards.keySet()); }

    public SafetensorsFile shard(String shardName) {
        SafetensorsFile f = shards.get(shardName);
        if (f == null) throw new IllegalArgumentException("no shard " + shardName);
        return f;
    }

    /** Tensor names: the index's order, or the single file's header order. */
    public List<String> names() { return List.copyOf(shardOf.keySet()); }

    public boolean contains(String name) { return shardOf.containsKey(name); }

    public String shardOf(String name) {
        String s = shardOf.get(name);
        if (s == null) throw new SafetensorsFormatException(folder + ": no tensor named '" + name + "'");
        return s;
    }

    public TensorEntry entry(String name) { return shards.get(shardOf(name)).header().entry(name); }

    public StoredTensor tensor(String name) { return shards.get(shardOf(name)).tensor(name); }

    /** name → shape of every tensor. */
    public Map<String, long[]> shapes() {
        Map<String, long[]> out = new HashMap<>();
        for (String n : shardOf.keySet()) out.put(n, entry(n).shape());
        return out;
    }

    /** Sum of the tensors' byte lengths (what an index's total_size counts). */
    public long tensorBytes() {
        long total = 0;
        for (SafetensorsFile f : shards.values()) total += f.header().dataLength();
        return total;
    }

    @Override public void close() {
        shards.values().forEach(SafetensorsFile::close);
    }
}
