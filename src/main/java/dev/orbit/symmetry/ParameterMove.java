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

    static NdArray apply(NdArray w, List<OrbitAction.AxisMove> moves) {
        if (!w.dtype().isFloating()) throw new IllegalArgumentException("parameter " + w + " is not floating point");
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
            for (int j = 0; j < p.length; j++) {
                double f = switch (t.role()) {
                    case COVARIANT -> tau[j];
                    case CONTRAVARIANT -> 1.0 / tau[j];
                    case PERMUTE_ONLY -> 1.0;
                };
                for (long k = 0; k < rep; k++) {
                    int pos = Math.toIntExact(t.offset() + j * rep + k);
                    idx[axis][pos] = Math.toIntExact(t.offset() + p[j] * rep + k);
                    factor[axis][pos] *= f;
                }
            }
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
}
