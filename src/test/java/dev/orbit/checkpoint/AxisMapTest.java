package dev.orbit.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.orbit.io.safetensors.ElementType;

/**
 * The writer's direct path for permute-and-scale tensors ({@link AxisMap}) gives the bytes of the libtorch path
 * (float64 index_select and multiply, narrowed by copy_) exactly, for every output type, on every checkpoint family.
 */
class AxisMapTest {
    @ParameterizedTest
    @ValueSource(strings = {"llama", "mistral", "qwen2", "gpt2", "bert"})
    void directPathMatchesLibtorchBitForBit(String family) {
        try (Checkpoint c = Checkpoint.open(CheckpointFixtures.path(family)); Arena arena = Arena.ofShared()) {
            Architecture a = c.architecture();
            List<CheckpointMove> moves = List.of(MoveSampler.mlp(a, 4, 7));
            var direct = new ChunkedMoves(a, moves, c.tensors()::tensor, ChunkedMoves.CHUNK_BYTES, true);
            var libtorch = new ChunkedMoves(a, moves, c.tensors()::tensor, ChunkedMoves.CHUNK_BYTES, false);
            int compared = 0;
            for (String name : direct.touched()) {
                assertTrue(moves.getFirst().axisMap(a, name).isPresent(), name);
                long[] shape = c.tensors().entry(name).shape();
                for (ElementType type : List.of(ElementType.BF16, ElementType.F16, ElementType.F32, ElementType.F64)) {
                    long n = c.tensors().entry(name).byteLength() / c.tensors().entry(name).type().byteSize * type.byteSize;
                    MemorySegment x = arena.allocate(n), y = arena.allocate(n);
                    direct.compute(name, shape, type, x);
                    libtorch.compute(name, shape, type, y);
                    assertEquals(-1, x.mismatch(y), family + " " + name + " as " + type);
                    compared++;
                }
                MemorySegment original = c.tensors().tensor(name).bytes();
                MemorySegment moved = arena.allocate(original.byteSize());
                direct.compute(name, shape, c.tensors().entry(name).type(), moved);
                assertFalse(original.mismatch(moved) == -1 && !name.contains("gate"), name + " was not moved");
            }
            assertTrue(compared >= 12, family + ": " + compared);
        }
    }
}
