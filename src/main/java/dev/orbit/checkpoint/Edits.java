package dev.orbit.checkpoint;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import dev.orbit.tensor.NdArray;

/**
 * Block edits of float64 parameter tensors, the vocabulary the moves are written in. "Rows" are dim 0 (the output
 * channels of an nn.Linear [out, in], the channels of a bias), "columns" dim 1 (its input channels; the output
 * channels of a GPT-2 Conv1D [in, out]). A 1-D tensor is edited as a column vector.
 */
final class Edits {
    private Edits() {}

    /** Rows [from, from + n) replaced by m · rows. */
    static Tensor rows(Tensor w, long from, long n, Tensor m) {
        if (w.dim() == 1) return rows(w.reshape(-1, 1), from, n, m).reshape(-1);
        return splice(w, 0, from, n, torch.matmul(m, w.narrow(0, from, n)));
    }

    /** Columns [from, from + n) replaced by columns · m. */
    static Tensor cols(Tensor w, long from, long n, Tensor m) {
        return splice(w, 1, from, n, torch.matmul(w.narrow(1, from, n), m));
    }

    private static Tensor splice(Tensor w, long dim, long from, long n, Tensor block) {
        long size = w.size(dim);
        TensorVector parts = new TensorVector();
        if (from > 0) parts.push_back(w.narrow(dim, 0, from));
        parts.push_back(block);
        if (from + n < size) parts.push_back(w.narrow(dim, from + n, size - from - n));
        return torch.cat(parts, dim);
    }

    /** out[i] = w[index[i]] along {@code dim}. */
    static Tensor permute(Tensor w, long dim, long[] index) {
        if (isIdentity(index, w.size(dim))) return w;
        return w.index_select(dim, NdArray.ofLongs(index, index.length).toTorch());
    }

    /** Each slice along {@code dim} multiplied by its factor. */
    static Tensor scale(Tensor w, long dim, double[] factors) {
        boolean ones = true;
        for (double x : factors) ones &= x == 1;
        if (ones) return w;
        Tensor f = matrix(factors, factors.length);
        if (w.dim() == 2 && dim == 0) f = f.reshape(-1, 1);
        return w.mul(f);
    }

    private static boolean isIdentity(long[] index, long size) {
        if (index.length != size) return false;
        for (int i = 0; i < index.length; i++) if (index[i] != i) return false;
        return true;
    }

    /** A float64 tensor of the given shape from row-major values. */
    static Tensor matrix(double[] values, long... shape) {
        return Blocks.constant(values, ScalarType.Double, shape);
    }

    static Tensor matrix(double[][] m) {
        int r = m.length, c = m[0].length;
        double[] flat = new double[r * c];
        for (int i = 0; i < r; i++) System.arraycopy(m[i], 0, flat, i * c, c);
        return matrix(flat, r, c);
    }

    /** The channel index that moves whole blocks of {@code size}: new block b is old block {@code blocks[b]}. */
    static long[] blockIndex(long[] blocks, int size) {
        long[] idx = new long[blocks.length * size];
        for (int b = 0; b < blocks.length; b++) for (int i = 0; i < size; i++) idx[b * size + i] = blocks[b] * size + i;
        return idx;
    }
}
