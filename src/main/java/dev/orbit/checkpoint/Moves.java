package dev.orbit.checkpoint;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

import dev.orbit.io.safetensors.ElementType;
import dev.orbit.io.safetensors.StoredTensor;

/** Applying a {@link CheckpointMove}: tensor after tensor, each stored in the requested element type. */
public final class Moves {
    private Moves() {}

    /**
     * Every tensor {@code move} touches, moved (float64) and stored as {@code type}: F64 keeps the move exact, the
     * checkpoint's own type re-rounds it as a written checkpoint would. One tensor's float64 intermediates live at a
     * time (each in its own {@link PointerScope}).
     */
    public static Map<String, StoredTensor> apply(CheckpointMove move, Architecture a, Weights original, ElementType type) {
        Map<String, StoredTensor> out = new LinkedHashMap<>();
        for (String name : move.touched(a)) {
            try (PointerScope scope = new PointerScope()) {
                out.put(name, store(name, move.move(a, name, original), type));
            }
        }
        return out;
    }

    /** A moved checkpoint's weights: the original ones with the moved tensors replaced (or added). */
    public static Weights moved(CheckpointMove move, Architecture a, Weights original, ElementType type) {
        return original.overriding(apply(move, a, original, type));
    }

    /**
     * The weights after {@code move}, computed lazily one tensor at a time (float64, exact): a tensor the move
     * touches is moved when first asked for, every other one is read through. Chains of moves compose this way
     * without materialising anything.
     */
    public static Weights lazy(CheckpointMove move, Architecture a, Weights original) {
        java.util.Set<String> touched = new java.util.HashSet<>(move.touched(a));
        java.util.function.Function<String, StoredTensor> lookup = name -> {
            if (!touched.contains(name)) return original.stored(name);
            try (PointerScope scope = new PointerScope()) {
                return store(name, move.move(a, name, original), ElementType.F64);
            }
        };
        return Weights.of(lookup, original.type());
    }

    /** A libtorch tensor's values as a stored tensor of {@code type} (rounded like libtorch's cast). */
    public static StoredTensor store(String name, Tensor t, ElementType type) {
        Tensor c = t.to(type.torchType).contiguous();
        long[] shape = c.sizes().vec().get();
        long bytes = c.numel() * type.byteSize;
        MemorySegment seg = Arena.ofAuto().allocate(Math.max(1, bytes), 64).asSlice(0, bytes);
        if (bytes > 0) MemorySegment.copy(MemorySegment.ofAddress(c.data_ptr().address()).reinterpret(bytes), 0, seg, 0, bytes);
        return new StoredTensor(name, type, shape, seg);
    }
}
