package dev.orbit.identity;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import dev.orbit.tensor.NdArray;

/**
 * X·Yᵀ for the unit-by-unit similarity matrices of weight and activation matching (m × m, m up to 16k), through
 * libtorch's BLAS: the products dominate an alignment's time (for a 4096-wide layer, two 4096³ products per class
 * and sweep). {@code single}: the product is formed in float32 (inputs rounded once, float32 accumulation inside the
 * BLAS kernel; relative error ≈ 1e-6 of the entries' scale), about three times faster than float64 — the matrix only
 * ranks pairs for the assignment, which is exact on whatever it is given.
 */
final class CrossProducts {
    private CrossProducts() {}

    /** out[r·m + c] += Σ_k x[r·len + k]·y[c·len + k] for m rows of length len each. */
    static void accumulate(double[] out, double[] x, double[] y, int m, int len, boolean single) {
        if (len == 0 || m == 0) return;
        double[] r = product(x, m, y, m, len, single);
        for (int i = 0; i < r.length; i++) out[i] += r[i];
    }

    /** X·Yᵀ, row-major (xRows × yRows), of X: xRows × len and Y: yRows × len, both row-major. */
    static double[] product(double[] x, int xRows, double[] y, int yRows, int len, boolean single) {
        if (len == 0) return new double[xRows * yRows];
        try (PointerScope scope = new PointerScope()) {
            NdArray xa = single ? NdArray.ofFloatsNoCopy(toFloats(x), xRows, len) : NdArray.ofDoublesNoCopy(x, xRows, len);
            NdArray ya = single ? NdArray.ofFloatsNoCopy(toFloats(y), yRows, len) : NdArray.ofDoublesNoCopy(y, yRows, len);
            NdArray xn = xa.toNative();
            NdArray yn = ya.toNative();
            Tensor p = torch.matmul(xn.torchView(), yn.torchView().t());
            double[] r = NdArray.fromTorch(p).toDoubleArray();
            java.lang.ref.Reference.reachabilityFence(xn);
            java.lang.ref.Reference.reachabilityFence(yn);
            return r;
        }
    }

    private static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }
}
