package dev.orbit.ops.linear;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

import dev.orbit.ops.Float32Scratch;
import dev.orbit.ops.Float32Scratch.Slot;
import dev.orbit.ops.HalfBlocks;

/**
 * A·B (numpy matmul shapes) on float16/bfloat16 A and B by {@link HalfBlocks}: the half result first, then for each
 * block of A's rows (axis −2) widened to float32, each block of B's columns (last axis) widened, multiplied and
 * rounded into the result. No float32 copy of the weight B, of A or of the result is made whole. Every element is
 * still one float32 dot product over the whole inner dimension, as with A and B widened whole; only the part of the
 * product one BLAS call sees differs. A's row blocks are widened once each, B's column blocks once per row block,
 * which is once for a batch of up to {@code BLOCK_BYTES / (4·K)} rows (256 rows of a 2048-deep product).
 */
final class HalfProduct {
    /** float32 bytes of a widened block of A or of B: small against a weight, large enough for BLAS to run at speed. */
    static final long BLOCK_BYTES = HalfBlocks.PRODUCT_BYTES;

    /** Rows [row, row + rowCount) of A and columns [column, column + columnCount) of B. */
    record Block(long row, long rowCount, long column, long columnCount) {}

    /** One block's float32 product from A's rows and B's columns, both float32. */
    @FunctionalInterface
    interface BlockProduct {
        Tensor apply(Tensor rows, Tensor columns, Block at);
    }

    private HalfProduct() {}

    /** Whether A and B are of one half type, B has columns to block (rank ≥ 2), and no autograd is involved. */
    static boolean applies(Tensor a, Tensor b, Tensor c) {
        return HalfBlocks.isHalf(a) && b.dim() >= 2 && a.scalar_type().intern() == b.scalar_type().intern()
                && (c == null || c.scalar_type().intern() == a.scalar_type().intern()) && HalfBlocks.withoutGrad(a, b, c);
    }

    static Tensor product(Tensor a, Tensor b, BlockProduct product) { return product(a, b, BLOCK_BYTES, product); }

    static Tensor product(Tensor a, Tensor b, long blockBytes, BlockProduct product) {
        boolean vector = a.dim() == 1; // a vector A has no row axis: one "row", and none in the result
        long m = vector ? 1 : a.size(-2);
        long n = b.size(-1);
        long perRow = m == 0 ? 0 : a.numel() / m;
        long perColumn = n == 0 ? 0 : b.numel() / n;
        long rowBlock = Math.max(1, blockBytes / (Float.BYTES * Math.max(1, perRow)));
        long columnBlock = Math.max(1, blockBytes / (Float.BYTES * Math.max(1, perColumn)));
        Tensor y = torch.empty(shape(a, b), new TensorOptions(a.scalar_type().intern()), new MemoryFormatOptional());
        for (long row = 0; row < m; row += rowBlock) {
            long rowCount = Math.min(rowBlock, m - row);
            try (PointerScope rows = new PointerScope();
                 Float32Scratch.Widened aw = Float32Scratch.widen(vector ? a : a.narrow(-2, row, rowCount), Slot.ROWS)) {
                Tensor yr = vector ? y : y.narrow(-2, row, rowCount);
                for (long column = 0; column < n; column += columnBlock) {
                    long columnCount = Math.min(columnBlock, n - column);
                    try (PointerScope columns = new PointerScope();
                         Float32Scratch.Widened bw = Float32Scratch.widen(b.narrow(-1, column, columnCount), Slot.COLUMNS)) {
                        Block at = new Block(row, rowCount, column, columnCount);
                        yr.narrow(-1, column, columnCount).copy_(product.apply(aw.tensor(), bw.tensor(), at));
                    }
                }
            }
        }
        return y;
    }

    /** matmul's result shape: the batch axes broadcast, then A's rows (unless A is a vector) and B's columns. */
    static long[] shape(Tensor a, Tensor b) {
        int batchA = (int) Math.max(0, a.dim() - 2);
        int batchB = (int) b.dim() - 2;
        int batch = Math.max(batchA, batchB);
        boolean vector = a.dim() == 1;
        long[] out = new long[batch + (vector ? 1 : 2)];
        for (int i = 0; i < batch; i++) {
            long da = i < batch - batchA ? 1 : a.size(i - (batch - batchA));
            long db = i < batch - batchB ? 1 : b.size(i - (batch - batchB));
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("batch axes " + da + " and " + db + " do not broadcast");
            }
            out[i] = da == 1 ? db : da;
        }
        if (!vector) out[batch] = a.size(-2);
        out[out.length - 1] = b.size(-1);
        return out;
    }
}
