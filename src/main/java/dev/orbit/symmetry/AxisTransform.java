package dev.orbit.symmetry;

import java.util.List;
import java.util.stream.IntStream;

import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/**
 * Multiplies one axis of a parameter tensor by a matrix: along {@code axis}, the n entries from {@code offset}
 * become new[offset + j] = Σᵢ old[offset + i]·M[i][j] (the row-vector convention x·M), every other entry is
 * kept. Computed in float64, stored in the tensor's own type; the input is never modified.
 */
final class AxisTransform {
    private AxisTransform() {}

    static NdArray apply(NdArray w, int axis, long offset, double[][] m) { return apply(w, axis, List.of(new Block(offset, m))); }

    /** A matrix acting on entries offset .. offset + n of an axis. */
    record Block(long offset, double[][] matrix) {}

    /** Several disjoint blocks of one axis in one pass (every head of a projection at once). */
    static NdArray apply(NdArray w, int axis, List<Block> blocks) {
        if (!w.dtype().isFloating()) throw new IllegalArgumentException("parameter " + w + " is not floating point");
        if (w.dtype().isHalf()) return apply(w.to(DType.FLOAT32), axis, blocks).to(w.dtype());
        long[] shape = w.shape();
        if (axis < 0 || axis >= shape.length) throw new IllegalArgumentException("axis " + axis + " does not exist in " + java.util.Arrays.toString(shape));
        for (Block b : blocks) {
            if (b.offset() < 0 || b.offset() + b.matrix().length > shape[axis]) {
                throw new IllegalArgumentException("block " + b.offset() + ".." + (b.offset() + b.matrix().length) + " does not fit axis "
                        + axis + " of " + java.util.Arrays.toString(shape));
            }
        }
        long outer = 1;
        for (int a = 0; a < axis; a++) outer *= shape[a];
        long inner = 1;
        for (int a = axis + 1; a < shape.length; a++) inner *= shape[a];
        long len = shape[axis];
        long innerF = inner;
        double[] v = w.toDoubleArray();
        double[] out = v.clone();
        IntStream.range(0, Math.toIntExact(outer * inner)).parallel().forEach(f -> {
            long base = f / innerF * len * innerF + f % innerF;
            for (Block b : blocks) {
                double[][] m = b.matrix();
                int n = m.length;
                double[] x = new double[n];
                for (int k = 0; k < n; k++) x[k] = v[Math.toIntExact(base + (b.offset() + k) * innerF)];
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int k = 0; k < n; k++) s += x[k] * m[k][j];
                    out[Math.toIntExact(base + (b.offset() + j) * innerF)] = s;
                }
            }
        });
        return make(w.dtype(), out, shape);
    }

    static NdArray make(DType dtype, double[] v, long[] shape) {
        if (dtype == DType.FLOAT64) return NdArray.ofDoubles(v, shape);
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return NdArray.ofFloats(f, shape);
    }

    static double[][] diagonal(double[] d) {
        double[][] m = new double[d.length][d.length];
        for (int i = 0; i < d.length; i++) m[i][i] = d[i];
        return m;
    }

    /** I − 11ᵀ/n: x·C subtracts x's mean from every entry. */
    static double[][] centring(int n) {
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) c[i][j] = (i == j ? 1.0 : 0.0) - 1.0 / n;
        return c;
    }
}
