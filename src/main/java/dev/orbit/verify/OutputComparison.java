package dev.orbit.verify;

import java.util.Arrays;

import dev.orbit.numeric.RelativeError;
import dev.orbit.tensor.NdArray;

/**
 * How far one output of model B is from the same output of model A. Relative error per element is
 * {@link RelativeError#of}: |a − b| / (|a| + |b| + ε), a symmetric measure bounded by 1. By default ε is the output's scale,
 * max |a| over the whole output tensor ({@link #SCALE}): float32 rounding (summation order, fused
 * multiply-add) gives absolute errors proportional to the magnitude of the terms, so an element that
 * happens to be near zero would otherwise show a large relative error while being exact to 7 digits of the
 * output's scale. A fixed ε can be given instead. Argmax agreement compares the last axis row by row.
 */
public record OutputComparison(String name, long[] shape, double maxAbsError, double maxRelError, double epsilon,
                               double argmaxAgreement, long rows, boolean shapesMatch, long nonFiniteA,
                               long nonFiniteB) {
    /** Use the reference output's largest magnitude as ε. */
    public static final double SCALE = -1;

    public static OutputComparison of(String name, NdArray a, NdArray b) { return of(name, a, b, SCALE); }

    public static OutputComparison of(String name, NdArray a, NdArray b, double epsilonOrScale) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            return new OutputComparison(name, a.shape(), Double.POSITIVE_INFINITY, 1, 0, 0, 0, false, 0, 0);
        }
        long n = a.size();
        double[] va = a.toDoubleArray();
        double[] vb = b.toDoubleArray();
        double eps = epsilonOrScale < 0 ? RelativeError.scale(va) : epsilonOrScale;
        double maxAbs = 0;
        double maxRel = 0;
        long nanA = 0;
        long nanB = 0;
        for (int i = 0; i < va.length; i++) {
            double x = va[i];
            double y = vb[i];
            if (!Double.isFinite(x)) nanA++;
            if (!Double.isFinite(y)) nanB++;
            if (x == y) continue; // covers equal infinities
            double abs = Math.abs(x - y);
            maxAbs = Math.max(maxAbs, Double.isNaN(abs) ? Double.POSITIVE_INFINITY : abs);
            maxRel = Math.max(maxRel, RelativeError.of(x, y, eps));
        }
        long width = a.rank() == 0 ? 1 : a.dim(-1);
        long rows = width == 0 ? 0 : n / width;
        long agree = 0;
        for (long r = 0; r < rows; r++) if (argmax(a, r, width) == argmax(b, r, width)) agree++;
        return new OutputComparison(name, a.shape(), maxAbs, maxRel, eps, rows == 0 ? 1 : (double) agree / rows, rows,
                true, nanA, nanB);
    }

    private static long argmax(NdArray a, long row, long width) {
        long best = 0;
        double bv = Double.NEGATIVE_INFINITY;
        for (long j = 0; j < width; j++) {
            double v = a.getAsDouble(row * width + j);
            if (v > bv) {
                bv = v;
                best = j;
            }
        }
        return best;
    }

    /** True when the maximum relative error is within the tolerance and shapes agree. */
    public boolean within(double relTolerance) {
        return shapesMatch && nonFiniteA == nonFiniteB && maxRelError <= relTolerance;
    }
}
