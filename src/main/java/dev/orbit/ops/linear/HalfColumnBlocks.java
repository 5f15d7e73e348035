package dev.orbit.ops.linear;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import dev.orbit.ops.OpSupport;

/**
 * A product A·B whose right factor B (a weight, as a rule) is float16/bfloat16 while A is already float32, computed a
 * block of B's columns (last axis) at a time: each block is widened to float32, multiplied, written into the float32
 * result and freed at once. The float32 working set is one block of about {@link #BLOCK_BYTES} instead of a whole
 * float32 copy of B, which malloc would keep resident under Orbit's launch settings (docs/CONFORMANCE.md, "float16
 * memory"). Each output element is still one float32 dot product over the whole inner dimension, as with B widened
 * whole; only the columns a BLAS call sees at once differ.
 */
final class HalfColumnBlocks {
    /** The float32 bytes of one widened block: small against a weight, wide enough (512 columns of a 1024-deep
     *  weight) for BLAS to run at full speed. */
    static final long BLOCK_BYTES = 1L << 21;

    /** One block's product: {@code columns} are B's columns {@code [from, from + count)} in float32. */
    @FunctionalInterface
    interface BlockProduct {
        Tensor apply(Tensor columns, long from, long count);
    }

    private HalfColumnBlocks() {}

    /**
     * Whether the product goes by blocks: B half with at least two axes, A float32 (the half policy widened it), and
     * no autograd (a trainer's half weights are widened whole, which autograd differentiates as usual).
     */
    static boolean applies(Tensor a, Tensor b, Tensor c) {
        if (!isHalf(b) || b.dim() < 2 || a.scalar_type().intern() != ScalarType.Float) return false;
        return !a.requires_grad() && !b.requires_grad() && (c == null || !c.requires_grad());
    }

    /** B widened whole where the half policy widened A but the blocks do not apply (autograd, a vector B). */
    static Tensor widenedLike(Tensor a, Tensor b) {
        return isHalf(b) && a.scalar_type().intern() == ScalarType.Float ? b.to(ScalarType.Float) : b;
    }

    private static boolean isHalf(Tensor t) {
        ScalarType s = t.scalar_type().intern();
        return s == ScalarType.Half || s == ScalarType.BFloat16;
    }

    /** {@code product} over B's column blocks of at most {@code blockBytes} float32 bytes, as one float32 tensor. */
    static Tensor product(Tensor b, long blockBytes, BlockProduct product) {
        long n = b.size(-1);
        long perColumn = n == 0 ? 0 : b.numel() / n;
        long width = Math.max(1, blockBytes / (Float.BYTES * Math.max(1, perColumn)));
        if (n <= width) return product.apply(b.to(ScalarType.Float), 0, n);
        // sized by the first block's result; its storage belongs to this handle, not to the blocks' scopes
        Tensor y = torch.zeros(new long[] {0}, new TensorOptions(ScalarType.Float));
        for (long from = 0; from < n; from += width) {
            long count = Math.min(width, n - from);
            try (PointerScope block = new PointerScope()) {
                Tensor part = product.apply(b.narrow(-1, from, count).to(ScalarType.Float), from, count);
                if (from == 0) {
                    long[] shape = OpSupport.sizes(part);
                    shape[shape.length - 1] = n;
                    y.resize_(shape);
                }
                y.narrow(-1, from, count).copy_(part);
            }
        }
        return y;
    }
}
