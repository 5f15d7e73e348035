package dev.orbit.spectra;

import static org.bytedeco.pytorch.global.torch.*;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;

import dev.orbit.ops.KernelBlock;
import dev.orbit.ops.KernelRule;

/**
 * The infinite-width NNGP and NTK of a fully connected network in the NTK parameterisation: {@code depth} hidden
 * layers (Dense then φ), then a Dense readout, every Dense with the same σ_w², σ_b². The input kernel is
 * Σ⁰ = x·x'/d (Θ⁰ = 0), so the first Dense gives Σ¹ = Θ¹ = σ_w²·x·x'/d + σ_b².
 *
 * <p>Every layer rule is elementwise in the pair once the input Gram matrix is known, so a kernel matrix is
 * computed as one matrix product, then row blocks of a few hundred thousand entries are carried through all
 * layers in place while they sit in cache. Memory: the output matrices (8 bytes per entry, one for the NNGP and
 * one for the NTK) plus a few block-sized temporaries.
 */
public record MlpKernel(List<KernelRule> layers, int depth, KernelRule nonlinearity, double weightVariance,
                        double biasVariance) {
    /** Entries per row block: 2 MB of float64, so a block and its temporaries stay in L2/L3. */
    static final long BLOCK_ENTRIES = 1 << 18;
    /** Rows per Gram-product panel of the symmetric path: tall enough for OpenBLAS to run near full speed. */
    static final long PANEL_ROWS = 512;

    public MlpKernel {
        layers = List.copyOf(layers);
    }

    public static MlpKernel of(int depth, KernelRule nonlinearity, double weightVariance, double biasVariance) {
        if (depth < 0) throw new IllegalArgumentException("depth must be non-negative, got " + depth);
        DenseKernel dense = new DenseKernel(weightVariance, biasVariance);
        List<KernelRule> layers = new ArrayList<>();
        for (int l = 0; l < depth; l++) {
            layers.add(dense);
            layers.add(nonlinearity);
        }
        layers.add(dense);
        return new MlpKernel(layers, depth, nonlinearity, weightVariance, biasVariance);
    }

    /** An NNGP matrix and (if asked for) an NTK matrix of the same shape; float64 tensors. */
    public record Kernels(Tensor nngp, Tensor ntk) {}

    /**
     * Kernels between every row input and every column input (inputs: float64 matrices, one sample per row).
     * {@code progress} receives the number of rows finished.
     */
    public Kernels matrix(Tensor rows, Tensor cols, boolean withNtk, IntConsumer progress) {
        return matrix(rows, cols, withNtk, progress, BLOCK_ENTRIES);
    }

    Kernels matrix(Tensor rows, Tensor cols, boolean withNtk, IntConsumer progress, long blockEntries) {
        long d = rows.size(1);
        if (cols.size(1) != d) throw new IllegalArgumentException("row and column inputs differ in width: " + d + " vs " + cols.size(1));
        long r = rows.size(0), c = cols.size(0);
        Tensor nngp = mm(rows, cols.t()).div_(new Scalar((double) d));
        Tensor ntk = withNtk ? zeros_like(nngp) : null;
        Tensor rowVar = squaredNorms(rows, d), colVar = squaredNorms(cols, d).reshape(1, c);
        long step = Math.max(1, blockEntries / Math.max(1, c));
        for (long start = 0; start < r; start += step) {
            long len = Math.min(step, r - start);
            try (PointerScope scope = new PointerScope()) {
                KernelBlock block = new KernelBlock(nngp.narrow(0, start, len), withNtk ? ntk.narrow(0, start, len) : null,
                        rowVar.narrow(0, start, len), colVar);
                for (KernelRule layer : layers) block = layer.apply(block);
            }
            if (progress != null) progress.accept((int) (start + len));
        }
        return new Kernels(nngp, ntk);
    }

    /**
     * Kernels of a set of inputs with itself (N×N). The same values as {@link #matrix}{@code (x, x, ...)}, at about
     * half the cost: each row panel computes its Gram product and its layer rules only from the diagonal rightwards
     * and mirrors the result into the lower triangle.
     */
    public Kernels symmetric(Tensor x, boolean withNtk, IntConsumer progress) {
        return symmetric(x, withNtk, progress, BLOCK_ENTRIES, PANEL_ROWS);
    }

    Kernels symmetric(Tensor x, boolean withNtk, IntConsumer progress, long blockEntries, long panelRows) {
        long d = x.size(1), n = x.size(0);
        var options = new org.bytedeco.pytorch.TensorOptions(ScalarType.Double);
        Tensor nngp = empty(new long[] {n, n}, options, new org.bytedeco.pytorch.MemoryFormatOptional());
        Tensor ntk = withNtk ? zeros(new long[] {n, n}, options) : null;
        Tensor var = squaredNorms(x, d);
        for (long start = 0; start < n; start += panelRows) {
            long rows = Math.min(panelRows, n - start), width = n - start;
            try (PointerScope scope = new PointerScope()) {
                // one Gram product per tall panel (thin ones run OpenBLAS far below its speed), from the diagonal on
                Tensor panel = nngp.narrow(0, start, rows).narrow(1, start, width);
                panel.copy_(mm(x.narrow(0, start, rows), x.narrow(0, start, width).t())).div_(new Scalar((double) d));
                Tensor ntkPanel = withNtk ? ntk.narrow(0, start, rows).narrow(1, start, width) : null;
                Tensor colVar = var.narrow(0, start, width).reshape(1, width);
                long step = Math.max(1, blockEntries / width);
                for (long r = 0; r < rows; r += step) {
                    long len = Math.min(step, rows - r);
                    try (PointerScope inner = new PointerScope()) {
                        KernelBlock block = new KernelBlock(panel.narrow(0, r, len), withNtk ? ntkPanel.narrow(0, r, len) : null,
                                var.narrow(0, start + r, len), colVar);
                        for (KernelRule layer : layers) block = layer.apply(block);
                    }
                }
                if (width > rows) {
                    mirror(nngp, panel, start, rows, width);
                    if (withNtk) mirror(ntk, ntkPanel, start, rows, width);
                }
            }
            if (progress != null) progress.accept((int) (start + rows));
        }
        return new Kernels(nngp, ntk);
    }

    /** Copies the panel's part right of its diagonal block into the lower triangle, transposed. */
    private static void mirror(Tensor full, Tensor panel, long start, long len, long width) {
        full.narrow(0, start + len, width - len).narrow(1, start, len).copy_(panel.narrow(1, len, width - len).t());
    }

    /** Σ(x, x) and Θ(x, x) for every input, as vectors. */
    public Kernels diagonal(Tensor x, boolean withNtk) {
        long d = x.size(1);
        Tensor q = squaredNorms(x, d);
        KernelBlock block = new KernelBlock(q.clone(), withNtk ? zeros_like(q) : null, q.clone(), q.clone());
        for (KernelRule layer : layers) block = layer.apply(block);
        return new Kernels(block.nngp().reshape(-1), withNtk ? block.ntk().reshape(-1) : null);
    }

    private static Tensor squaredNorms(Tensor x, long d) {
        return x.mul(x).sum(new long[] {1}, true, new ScalarTypeOptional()).div_(new Scalar((double) d));
    }

    public String describe() {
        return String.format("%d hidden layer%s, %s, σ_w² = %s, σ_b² = %s, NTK parameterisation", depth, depth == 1 ? "" : "s",
                nonlinearity.describe(), weightVariance, biasVariance);
    }
}
