package dev.orbit.ops.length;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Length products form a [rows, k, m] tensor of pairwise terms before summing over m. Working through X a block of
 * rows at a time keeps that tensor near {@link #BLOCK} elements (32 MB in float64) whatever the batch, and each
 * block's intermediates are freed with its own scope (autograd keeps what backward needs through its own
 * references).
 */
final class LengthChunks {
    static final long BLOCK = 1L << 22;

    private LengthChunks() {}

    /** f applied to row blocks of x, results concatenated along axis 0; {@code perRow} is the term count per row. */
    static Tensor byRows(Tensor x, long perRow, UnaryOperator<Tensor> f) {
        long rows = x.size(0);
        long block = Math.max(1, BLOCK / Math.max(1, perRow));
        if (rows <= block) return f.apply(x);
        List<Tensor> parts = new ArrayList<>();
        try {
            for (long from = 0; from < rows; from += block) {
                long len = Math.min(block, rows - from);
                try (PointerScope scope = new PointerScope()) {
                    Tensor y = f.apply(x.narrow(0, from, len));
                    y.retainReference();
                    parts.add(y);
                }
            }
            return torch.cat(new TensorVector(parts.toArray(Tensor[]::new)), 0);
        } finally {
            parts.forEach(Tensor::releaseReference);
        }
    }
}
