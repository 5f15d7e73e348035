package dev.orbit.ops;

/**
 * One layer's infinite-width kernel rule: how the NNGP and NTK of a block of input pairs change through the
 * layer (neural-tangents' layer triple, kernel part). Elementwise ops give theirs through
 * {@link ElementwiseOp#kernelRule}; a dense layer's rule depends on its initialisation, not on the node, and
 * lives with the kernel code.
 */
public interface KernelRule {
    /** The kernels after this layer; may overwrite {@code in}'s tensors. */
    KernelBlock apply(KernelBlock in);

    /** A short name for reports, e.g. "relu (arc-cosine closed form)". */
    String describe();
}
