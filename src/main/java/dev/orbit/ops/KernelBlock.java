package dev.orbit.ops;

import org.bytedeco.pytorch.Tensor;

/**
 * The infinite-width kernels of a block of input pairs (rows × columns), as a layer sees them: the NNGP
 * Σ(x, x') and NTK Θ(x, x') of every pair, plus the variances Σ(x, x) of the row inputs (shape R×1) and of the
 * column inputs (1×C) that every kernel rule needs. A diagonal block (each input paired with itself) has
 * all four of shape R×1. {@code ntk} is null when only the NNGP is wanted.
 *
 * <p>Kernel rules consume a block: they may overwrite its tensors in place (the NNGP and NTK are usually views
 * into one large output matrix) and return the block of the next layer.
 */
public record KernelBlock(Tensor nngp, Tensor ntk, Tensor rowVariance, Tensor colVariance) {
    public boolean hasNtk() { return ntk != null; }
}
