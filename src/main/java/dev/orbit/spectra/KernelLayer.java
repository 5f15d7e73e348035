package dev.orbit.spectra;

/**
 * One layer's infinite-width kernel rule: how the NNGP and NTK of a pair of inputs change through the layer
 * (neural-tangents' layer triple, kernel part). Affine layers and elementwise nonlinearities are the two
 * kinds; the MLP kernel is their composition ({@link MlpKernel}). A later refactor can move each rule into its
 * op's room (Gemm → {@link DenseKernel}, Relu/LeakyRelu → {@link ReluFamilyKernel}, Erf → {@link ErfKernel},
 * any other elementwise op → {@link QuadratureKernel}) without changing the rules themselves.
 */
public sealed interface KernelLayer permits DenseKernel, ElementwiseKernel {
    /** The kernels after this layer; may overwrite {@code in}'s tensors. */
    KernelBlock apply(KernelBlock in);
}
