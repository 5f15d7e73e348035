package dev.orbit.verify;

import java.util.Arrays;

import dev.orbit.tensor.NdArray;

/**
 * How far one output of model B is from the same output of model A. Relative error per element is
 * |a − b| / (|a| + |b| + ε) with ε = {@value #EPSILON}, a symmetric measure that stays bounded by 1 and is
 * not blown up by outputs near zero. Argmax agreement compares the last axis row by row.
 */
public record OutputComparison(String name, long[] shape, double maxAbsError, double maxRelError,
                               double argmaxAgreement, long rows, boolean shapesMatch, long nonFiniteA,
                               long nonFiniteB) {
    public static final double EPSILON = 1e-12;

    public static OutputComparison of(String name, NdArray a, NdArray b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            return new OutputComparison(name, a.shape(), Double.POSITIVE_INFINITY, 1, 0, 0, false, 0, 0);
        }
        long n = a.size();
        double maxAbs = 0;
        double maxRel = 0;
        long nanA = 0;
        long nanB = 0;
        for (long i = 0; i < n; i++) {
            double x = a.getAsDouble(i);
            double y = b.getAsDouble(i);
            if (!Double.isFinite(x)) nanA++;
            if (!Double.isFinite(y)) nanB++;
            if (x == y) continue; // covers equal infinities
            double abs = Math.abs(x - y);
            if (Double.isNaN(abs)) abs = Double.POSITIVE_INFINITY;
            maxAbs = Math.max(maxAbs, abs);
            maxRel = Math.max(maxRel, Double.isInfinite(abs) ? 1 : abs / (Math.abs(x) + Math.abs(y) + EPSILON));
        }
        long width = a.rank() == 0 ? 1 : a.dim(-1);
        long rows = width == 0 ? 0 : n / width;
        long agree = 0;
        for (long r = 0; r < rows; r++) if (argmax(a, r, width) == argmax(b, r, width)) agree++;
        return new OutputComparison(name, a.shape(), maxAbs, maxRel, rows == 0 ? 1 : (double) agree / rows, rows,
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
