package dev.orbit.ops;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Per-thread float32 buffers that {@link HalfBlocks} and the half products widen their blocks into: allocated once
 * per thread and slot and reused block after block and node after node, instead of a fresh allocation per block.
 * Why: with Orbit's launch settings (one malloc arena that never returns memory, docs/CONFORMANCE.md "float16
 * memory") a block freed between other allocations (the JIT compiler's, the outputs a caller still holds) leaves a
 * hole that the next block of the same size no longer fits, and the arena grows evaluation after evaluation. A buffer
 * that is never freed leaves no hole.
 * <p>
 * A widened block gets the layout {@code half.to(ScalarType.Float)} would give it (the strides libtorch's
 * {@code _to_copy} picks), so BLAS sees the same operands and every value is bit for bit what it was with a fresh
 * copy. A block larger than {@link #KEEP_BYTES}, or a slot already in use on this thread, gets a fresh copy.
 */
public final class Float32Scratch {
    /** The blocks one op holds at once: a product's rows of A and columns of B, an activation's input. */
    public enum Slot {
        ROWS(HalfBlocks.PRODUCT_BYTES), COLUMNS(HalfBlocks.PRODUCT_BYTES), ELEMENTWISE(HalfBlocks.ELEMENTWISE_BYTES);

        /** The buffer's first size: one full block, so that the usual blocks never make it grow. */
        private final long floats;

        Slot(long bytes) { this.floats = bytes / Float.BYTES; }
    }

    /** The most float32 bytes a slot keeps between blocks: twice a product block (a longer row is copied fresh). */
    static final long KEEP_BYTES = 4L << 20;

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private Float32Scratch() {}

    /**
     * A widened block: valid until closed, when the slot it holds (if any) is free for the next block. Nothing may
     * keep a view of it beyond.
     */
    public record Widened(Tensor tensor, Slot held) implements AutoCloseable {
        @Override
        public void close() {
            if (held != null) BUFFERS.get().inUse[held.ordinal()] = false;
        }
    }

    /** {@code half} widened to float32 in this thread's buffer for {@code slot}, with the layout {@code half.to(Float)} gives. */
    public static Widened widen(Tensor half, Slot slot) {
        long n = half.numel();
        Buffers b = BUFFERS.get();
        if (n == 0 || n * Float.BYTES > KEEP_BYTES || b.inUse[slot.ordinal()]) return new Widened(half.to(ScalarType.Float), null);
        long[] sizes = OpSupport.sizes(half);
        long[] strides = half.strides().vec().get();
        Tensor block = b.buffer(slot, n).as_strided(sizes, half.is_non_overlapping_and_dense() ? strides : denseStrides(sizes, strides));
        b.inUse[slot.ordinal()] = true;
        block.copy_(half);
        return new Widened(block, slot);
    }

    /**
     * The strides libtorch gives a dense copy of a tensor that is not dense (at::infer_dense_strides): its axes keep
     * their order by stride (a stable insertion sort, ties to the smaller size first, a zero stride left in place),
     * the fastest-varying gets stride 1.
     */
    static long[] denseStrides(long[] sizes, long[] strides) {
        int ndim = sizes.length;
        if (ndim == 0) return new long[0];
        if (ndim == 1) return new long[] {1};
        int[] perm = new int[ndim];
        for (int i = 0; i < ndim; i++) perm[i] = ndim - 1 - i;
        for (int i = 1; i < ndim; i++) {
            int dim1 = i;
            for (int j = 1; j <= i; j++) {
                int dim0 = i - j;
                int comparison = compare(sizes, strides, perm[dim0], perm[dim1]);
                if (comparison > 0) {
                    int t = perm[dim0];
                    perm[dim0] = perm[dim1];
                    perm[dim1] = t;
                    dim1 = dim0;
                } else if (comparison < 0) {
                    break;
                }
            }
        }
        long[] out = new long[ndim];
        long stride = 1;
        for (int i = 0; i < ndim; i++) {
            int axis = perm[i];
            out[axis] = stride;
            if (sizes[axis] > 1) stride *= sizes[axis];
        }
        return out;
    }

    /** −1: axis a goes before (faster than) b, 1: after, 0: either (a zero stride, or equal strides and sizes). */
    private static int compare(long[] sizes, long[] strides, int a, int b) {
        if (strides[a] == 0 || strides[b] == 0) return 0;
        if (strides[a] != strides[b]) return strides[a] < strides[b] ? -1 : 1;
        return sizes[a] > sizes[b] ? 1 : 0;
    }

    private static final class Buffers {
        final Tensor[] buffers = new Tensor[Slot.values().length];
        final boolean[] inUse = new boolean[Slot.values().length];

        /** The slot's buffer, grown to at least {@code n} floats; owned by the thread, not by any open scope. */
        Tensor buffer(Slot slot, long n) {
            Tensor t = buffers[slot.ordinal()];
            if (t != null && t.numel() >= n) return t;
            if (t != null) t.close();
            t = torch.empty(new long[] {Math.max(n, slot.floats)}, new TensorOptions(ScalarType.Float), new org.bytedeco.pytorch.MemoryFormatOptional());
            PointerScope scope = PointerScope.getInnerScope();
            if (scope != null) {
                t.retainReference(); // detaching drops the scope's reference: this one keeps the tensor alive
                scope.detach(t);
            }
            buffers[slot.ordinal()] = t;
            return t;
        }
    }
}
