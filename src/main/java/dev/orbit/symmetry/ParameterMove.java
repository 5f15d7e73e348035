package dev.orbit.symmetry;

import java.util.List;

import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/**
 * Moves one parameter tensor: along each touched axis, new entry i = old entry idx[i] × factor[i] (gather
 * then scale), all axes at once, in float64, stored back in the tensor's own type. The input is never
 * modified.
 */
final class ParameterMove {
    private ParameterMove() {}

    static NdArray apply(NdArray w, List<OrbitAction.AxisMove> moves) { return apply(w, moves, false); }

    /**
     * {@code dual}: move a gradient-like tensor instead of a parameter. Gradients transform contragrediently
     * (∂L/∂(τw) = (∂L/∂w)/τ): covariant entries are divided by τ, contravariant ones multiplied.
     */
    static NdArray apply(NdArray w, List<OrbitAction.AxisMove> moves, boolean dual) { return apply(w, moves, dual, false); }

    /** {@code squared}: every factor squared (a running mean of squared gradients, Adam's v, AdaGrad's sum). */
    static NdArray apply(NdArray w, List<OrbitAction.AxisMove> moves, boolean dual, boolean squared) {
        if (!w.dtype().isFloating()) throw new IllegalArgumentException("parameter " + w + " is not floating point");
        // float16/bfloat16 weights move in float32 (exact widening) and are rounded back once
        if (w.dtype().isHalf()) return apply(w.to(DType.FLOAT32), moves, dual, squared).to(w.dtype());
        int rank = w.rank();
        long[] shape = w.shape();
        int[][] idx = new int[rank][];
        double[][] factor = new double[rank][];
        for (OrbitAction.AxisMove m : moves) {
            ParamTouch t = m.touch();
            int axis = t.axis();
            int len = Math.toIntExact(shape[axis]);
            if (idx[axis] == null) {
                idx[axis] = new int[len];
                factor[axis] = new double[len];
                for (int i = 0; i < len; i++) {
                    idx[axis][i] = i;
                    factor[axis][i] = 1;
                }
            }
            int[] p = m.permutation();
            double[] tau = m.scale();
            long rep = t.repeat();
            if (t.unit() > 1) {
                // whole blocks of unit channels: entry e follows channel e·unit (permuted only)
                int u = Math.toIntExact(t.unit());
                for (int e = 0; e < p.length / u; e++) {
                    for (long k = 0; k < rep; k++) {
                        int pos = Math.toIntExact(t.offset() + e * rep + k);
                        idx[axis][pos] = Math.toIntExact(t.offset() + (p[e * u] / u) * rep + k);
                    }
                }
                continue;
            }
            for (int j = 0; j < p.length; j++) {
                double f = switch (t.role()) {
                    case COVARIANT -> dual ? 1.0 / tau[j] : tau[j];
                    case CONTRAVARIANT -> dual ? tau[j] : 1.0 / tau[j];
                    case PERMUTE_ONLY -> 1.0;
                };
                if (squared) f *= f;
                for (long k = 0; k < rep; k++) {
                    int pos = Math.toIntExact(t.offset() + j * rep + k);
                    idx[axis][pos] = Math.toIntExact(t.offset() + p[j] * rep + k);
                    factor[axis][pos] *= f;
                }
            }
        }
        if (rank >= 1 && touchedOnlyLeadingAxes(idx)) {
            NdArray fast = leadingAxes(w, idx, factor);
            if (fast != null) return fast;
        }
        long[] strides = new long[rank];
        long s = 1;
        for (int a = rank - 1; a >= 0; a--) {
            strides[a] = s;
            s *= shape[a];
        }
        long n = w.size();
        NdArray out = NdArray.zeros(w.dtype(), shape);
        int[] pos = new int[rank];
        boolean f32 = w.dtype() == DType.FLOAT32;
        for (long i = 0; i < n; i++) {
            long src = 0;
            double f = 1;
            for (int a = 0; a < rank; a++) {
                int p = pos[a];
                if (idx[a] != null) {
                    src += idx[a][p] * strides[a];
                    f *= factor[a][p];
                } else {
                    src += p * strides[a];
                }
            }
            if (f32) out.setFloat(i, (float) (w.getFloat(src) * f));
            else out.setDouble(i, w.getDouble(src) * f);
            for (int a = rank - 1; a >= 0; a--) {
                if (++pos[a] < shape[a]) break;
                pos[a] = 0;
            }
        }
        return out;
    }

    private static boolean touchedOnlyLeadingAxes(int[][] idx) {
        for (int a = 2; a < idx.length; a++) if (idx[a] != null) return false;
        return true;
    }

    /**
     * The common case (weights, biases, per-channel constants): only axes 0 and 1 move. Viewed as
     * [d0, d1, inner], each output row i is gathered from source row p0[i] with contiguous inner blocks, row
     * by row in parallel.
     */
    private static NdArray leadingAxes(NdArray w, int[][] idx, double[][] factor) {
        long[] shape = w.shape();
        int d0 = Math.toIntExact(shape[0]);
        int d1 = shape.length > 1 ? Math.toIntExact(shape[1]) : 1;
        long innerL = 1;
        for (int a = 2; a < shape.length; a++) innerL *= shape[a];
        int inner = Math.toIntExact(innerL);
        int row = Math.toIntExact((long) d1 * inner);
        int[] p0 = idx[0];
        int[] p1 = shape.length > 1 ? idx[1] : null;
        double[] f0 = factor[0];
        double[] f1 = shape.length > 1 ? factor[1] : null;
        // results go to the Java heap: fresh native pages fault in slowly (~2.5 ms/MB here), warm heap does not
        boolean f32 = w.dtype() == DType.FLOAT32;
        long total = (long) d0 * row;
        if (total > Integer.MAX_VALUE - 16) return null;
        float[] outF = f32 ? new float[(int) total] : null;
        double[] outD = f32 ? null : new double[(int) total];
        var layoutF = java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
        var layoutD = java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
        java.util.stream.IntStream.range(0, d0).parallel().forEach(i -> {
            int srcRow = p0 == null ? i : p0[i];
            double fi = f0 == null ? 1 : f0[i];
            long srcOff = (long) srcRow * row;
            int dst = i * row;
            if (f32) {
                float[] src = new float[row];
                java.lang.foreign.MemorySegment.copy(w.segment(), layoutF, srcOff * 4, src, 0, row);
                for (int j = 0; j < d1; j++) {
                    int sj = (p1 == null ? j : p1[j]) * inner;
                    double f = fi * (f1 == null ? 1 : f1[j]);
                    int dj = dst + j * inner;
                    for (int k = 0; k < inner; k++) outF[dj + k] = (float) (src[sj + k] * f);
                }
            } else {
                double[] src = new double[row];
                java.lang.foreign.MemorySegment.copy(w.segment(), layoutD, srcOff * 8, src, 0, row);
                for (int j = 0; j < d1; j++) {
                    int sj = (p1 == null ? j : p1[j]) * inner;
                    double f = fi * (f1 == null ? 1 : f1[j]);
                    int dj = dst + j * inner;
                    for (int k = 0; k < inner; k++) outD[dj + k] = src[sj + k] * f;
                }
            }
        });
        return f32 ? NdArray.ofFloatsNoCopy(outF, shape) : NdArray.ofDoublesNoCopy(outD, shape);
    }
}
