package dev.orbit.ops.indexing;

import static org.bytedeco.pytorch.global.torch.add;
import static org.bytedeco.pytorch.global.torch.lt;
import static org.bytedeco.pytorch.global.torch.where;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** Index arithmetic the element-wise gather and scatter ops share. */
final class IndexingSupport {
    private IndexingSupport() {}

    /** int64 indices with negative entries counted from the back of an axis of length n. */
    static Tensor wrapNegative(Tensor indices, long n) {
        Tensor idx = indices.to(ScalarType.Long);
        return where(lt(idx, new Scalar(0L)), add(idx, new Scalar(n)), idx);
    }

    /**
     * Row numbers into data viewed as [∏ batch · ∏ indexed, rest]: for GatherND and ScatterND, indices of shape
     * [batch..., m..., k] address the k axes after the {@code batchDims} leading ones.
     */
    static Tensor linearRows(Tensor data, Tensor indices, int batchDims) {
        long[] ds = data.sizes().vec().get();
        long[] is = indices.sizes().vec().get();
        int k = (int) is[is.length - 1];
        Tensor idx = indices.to(ScalarType.Long);
        Tensor linear = null;
        long stride = 1;
        for (int j = k - 1; j >= 0; j--) {
            long n = ds[batchDims + j];
            Tensor col = wrapNegative(idx.select(-1, j), n);
            Tensor term = col.mul(new Scalar(stride));
            linear = linear == null ? term : add(linear, term);
            stride *= n;
        }
        if (linear == null) linear = org.bytedeco.pytorch.global.torch.zeros_like(idx.select(-1, 0)); // k = 0
        if (batchDims > 0) {
            // row offset of each batch: b · (rows per batch), broadcast over the index positions
            long batch = 1;
            for (int b = 0; b < batchDims; b++) batch *= ds[b];
            long[] view = new long[(int) linear.dim()];
            java.util.Arrays.fill(view, 1);
            for (int b = 0; b < batchDims; b++) view[b] = ds[b];
            Tensor offsets = org.bytedeco.pytorch.global.torch.arange(new Scalar(batch),
                    new org.bytedeco.pytorch.TensorOptions(ScalarType.Long)).mul(new Scalar(stride)).reshape(view);
            linear = add(linear, offsets);
        }
        return linear;
    }
}
