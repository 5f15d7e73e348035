package dev.orbit.spectra;

import org.bytedeco.pytorch.Tensor;

import dev.orbit.tensor.NdArray;

/**
 * One layer's weight as the ESD sees it: {@code slices} matrices of {@code rows × cols} taken from a parameter
 * tensor. A dense weight is one slice; a Conv kernel (N, C, k₁, …) gives k₁·k₂·… slices W[:, :, i, j] of N × C whose
 * eigenvalues are pooled; a batched MatMul parameter (…, K, N) gives one slice per leading index.
 *
 * @param layer     the node's label
 * @param op        its op type
 * @param parameter the parameter's name
 * @param outputs   output units (rows of the layer's map, out-channels of a kernel)
 * @param inputs    input units
 * @param note      how the matrix was read (orientation, slicing), for the report
 */
public record WeightMatrix(String layer, String op, String parameter, long[] parameterShape, int slices, long rows,
                           long cols, long outputs, long inputs, Slicing slicing, String note) {
    /** How the parameter tensor becomes a stack of matrices. */
    public enum Slicing {
        /** rank 2: one matrix as stored */
        MATRIX,
        /** rank > 2 MatMul operand: one matrix per leading index */
        BATCHED,
        /** Conv kernel (N, C, k…): one N×C matrix per kernel tap */
        CONV_TAPS
    }

    /** Larger and smaller matrix dimension, N ≥ M. */
    public long n() { return Math.max(rows, cols); }

    public long m() { return Math.min(rows, cols); }

    /** Aspect ratio Q = N/M ≥ 1. */
    public double q() { return (double) n() / m(); }

    /** How many eigenvalues the pooled ESD has. */
    public long eigenvalueCount() { return m() * slices; }

    /**
     * The (slices, rows, cols) float64 stack read from {@code values}, an array shaped like the parameter (the
     * parameter itself, or a shuffled copy). Keep {@code values} reachable while the tensor is used.
     */
    public Tensor slicesOf(NdArray values) {
        Tensor t = values.torchView().to(org.bytedeco.pytorch.global.torch.ScalarType.Double);
        return switch (slicing) {
            case MATRIX, BATCHED -> t.reshape(slices, rows, cols);
            case CONV_TAPS -> t.reshape(rows, cols, slices).permute(2, 0, 1);
        };
    }
}
