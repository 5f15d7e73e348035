package dev.orbit.checkpoint;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import dev.orbit.io.safetensors.ElementType;
import dev.orbit.io.safetensors.StoredTensor;

/**
 * A chain of moves evaluated one tensor at a time, in float64, in chunks: a 2-D tensor that no move of the chain
 * permutes, scales or mixes along its rows ({@link CheckpointMove#axes}) is computed a block of rows at a time (and
 * one untouched along its columns, a block of columns at a time); only what is left is computed whole. Each chunk's
 * float64 intermediates live in their own {@link PointerScope} and are freed before the next, and the result goes
 * straight into the caller's buffer in the output element type. So a 128k × 4096 embedding moves through ~8 MB
 * float64 blocks, never a 4 GB array. The chain reads the original tensors as stored (mapped shards).
 */
final class ChunkedMoves {
    /** float64 bytes per chunk: small enough for the caches, large enough to amortise libtorch's per-call cost. */
    static final long CHUNK_BYTES = Long.getLong("orbit.checkpoint.chunkBytes", 8L << 20);

    private record Step(CheckpointMove move, Architecture arch, Set<String> touched) {}

    private final List<Step> steps = new ArrayList<>();
    private final Function<String, StoredTensor> original;
    private final Set<String> touched = new HashSet<>();
    private final Architecture result;

    private final long chunkBytes;
    /** Whether axis maps are applied straight from the stored bytes (tests turn it off to compare with libtorch's path). */
    private final boolean direct;

    ChunkedMoves(Architecture arch, List<CheckpointMove> moves, Function<String, StoredTensor> original) {
        this(arch, moves, original, CHUNK_BYTES);
    }

    ChunkedMoves(Architecture arch, List<CheckpointMove> moves, Function<String, StoredTensor> original, long chunkBytes) {
        this(arch, moves, original, chunkBytes, true);
    }

    /** {@code chunkBytes}: float64 bytes per chunk (tests make it tiny to chunk small fixtures). */
    ChunkedMoves(Architecture arch, List<CheckpointMove> moves, Function<String, StoredTensor> original, long chunkBytes, boolean direct) {
        this.original = original;
        this.chunkBytes = chunkBytes;
        this.direct = direct;
        for (CheckpointMove m : moves) {
            String why = m.obstacle(arch);
            if (why != null) throw new IllegalArgumentException(m.getClass().getSimpleName() + " is not exact here: " + why);
            Set<String> t = new HashSet<>(m.touched(arch));
            steps.add(new Step(m, arch, t));
            touched.addAll(t);
            arch = m.after(arch);
        }
        this.result = arch;
    }

    Architecture result() { return result; }

    Set<String> touched() { return touched; }

    /** The axes some move of the chain acts along in {@code name}. */
    Set<Integer> axes(String name) {
        Set<Integer> axes = new HashSet<>();
        for (Step s : steps) if (s.touched.contains(name)) axes.addAll(s.move.axes(s.arch, name));
        return axes;
    }

    /**
     * Writes tensor {@code name} of shape {@code shape}, moved by the chain (or just converted when no move touches
     * it), into {@code out} (native, {@code type}, row-major).
     */
    void compute(String name, long[] shape, ElementType type, MemorySegment out) {
        compute(name, shape, type, out, original);
    }

    /**
     * As above, with {@code axisMapSource} giving the original tensor when a sole axis map applies (the writer
     * passes copies read into a buffer of its own rather than views of the mapping).
     */
    void compute(String name, long[] shape, ElementType type, MemorySegment out, Function<String, StoredTensor> axisMapSource) {
        AxisMap map = soleAxisMap(name);
        if (map != null && map.apply(axisMapSource.apply(name), type, out)) return;
        Set<Integer> axes = axes(name);
        StoredTensor target = new StoredTensor(name, type, shape, out);
        if (shape.length == 2 && shape[0] > 0 && shape[1] > 0 && (!axes.contains(0) || !axes.contains(1))) {
            int axis = axes.contains(0) ? 1 : 0;
            long other = shape[1 - axis];
            long step = Math.max(1, chunkBytes / (8 * other));
            for (long from = 0; from < shape[axis]; from += step) {
                long n = Math.min(step, shape[axis] - from);
                try (PointerScope scope = new PointerScope()) {
                    Tensor value = evaluate(name, view(shape[0], axis, from, n, name));
                    target.torchView().narrow(axis, from, n).copy_(value);
                }
            }
            return;
        }
        try (PointerScope scope = new PointerScope()) {
            Tensor value = evaluate(name, original);
            if (shape.length == 0) target.torchView().copy_(value.reshape(new long[0]));
            else target.torchView().copy_(value);
        }
    }

    /** Whether {@code name} is moved by a sole axis map, straight from its stored bytes. */
    boolean axisMapped(String name) { return soleAxisMap(name) != null; }

    /** The axis map of the one step that touches {@code name}, when there is one step and it has such a map. */
    private AxisMap soleAxisMap(String name) {
        Step only = null;
        for (Step s : steps) {
            if (!s.touched.contains(name)) continue;
            if (only != null) return null;
            only = s;
        }
        return only == null || !direct ? null : only.move.axisMap(only.arch, name).orElse(null);
    }

    /** The chain's value of {@code name} over the given source of original tensors (kept alive by the open scope). */
    private Tensor evaluate(String name, Function<String, StoredTensor> source) {
        Function<String, StoredTensor> lookup = source;
        for (Step s : steps) {
            Function<String, StoredTensor> before = lookup;
            Weights w = Weights.of(before, ScalarType.Double);
            Map<String, StoredTensor> cache = new java.util.HashMap<>();
            lookup = n -> {
                if (!s.touched.contains(n)) return before.apply(n);
                return cache.computeIfAbsent(n, k -> wrap(k, s.move.move(s.arch, k, w)));
            };
        }
        return lookup.apply(name).torchView();
    }

    /**
     * The original tensors with {@code name} narrowed to {@code [from, from + n)} along {@code axis}; for row
     * chunks, every other 2-D tensor with as many rows is narrowed too (a row-local move reads them row-aligned).
     */
    private Function<String, StoredTensor> view(long rows, int axis, long from, long n, String name) {
        return k -> {
            StoredTensor t = original.apply(k);
            long[] s = t.shape();
            if (s.length != 2) return t;
            if (axis == 0 && s[0] == rows) {
                long rowBytes = s[1] * t.type().byteSize;
                return new StoredTensor(k, t.type(), new long[] {n, s[1]}, t.bytes().asSlice(from * rowBytes, n * rowBytes));
            }
            if (axis == 1 && k.equals(name)) return wrap(k, t.torchView().narrow(1, from, n).contiguous());
            return t;
        };
    }

    private static ElementType typeOf(ScalarType t) {
        for (ElementType e : ElementType.values()) if (e != ElementType.BOOL && e.torchType.value == t.value) return e;
        throw new IllegalArgumentException("no safetensors type for " + t);
    }

    /** A libtorch tensor's memory seen as a stored tensor (no copy); valid while the enclosing scope is open. */
    static StoredTensor wrap(String name, Tensor t) {
        Tensor c = t.contiguous();
        ElementType type = typeOf(c.scalar_type());
        long[] shape = c.sizes().vec().get();
        long bytes = c.numel() * type.byteSize;
        MemorySegment seg = bytes == 0 ? MemorySegment.ofArray(new byte[0]) : MemorySegment.ofAddress(c.data_ptr().address()).reinterpret(bytes);
        return new StoredTensor(name, type, shape, seg);
    }
}
