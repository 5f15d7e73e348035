package dev.orbit.conformance;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * The ONNX backend test's default comparison (numpy's assert_allclose with rtol 1e-3, atol 1e-7): element type
 * and shape must match, then |actual − expected| ≤ 1e-7 + 1e-3·|expected| per element, NaN equal to NaN and an
 * infinity equal only to itself. Integers and booleans go through the same rule in float64, as numpy does;
 * strings must be equal.
 */
final class BackendRule {
    static final double RTOL = 1e-3;
    static final double ATOL = 1e-7;

    private BackendRule() {}

    /** Null when {@code actual} passes, else a short, deterministic description of the first difference. */
    static String mismatch(String output, RefTensor expected, RefTensor actual) {
        if (expected.elemType() != actual.elemType()) {
            return "wrong dtype: output '" + output + "' is " + ElementType.name(actual.elemType()) + ", expected "
                    + ElementType.name(expected.elemType());
        }
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            return "wrong shape: output '" + output + "' is " + Arrays.toString(actual.shape()) + ", expected "
                    + Arrays.toString(expected.shape());
        }
        if (expected.strings() != null) {
            for (int i = 0; i < expected.strings().length; i++) {
                if (!Objects.equals(expected.strings()[i], actual.strings()[i])) {
                    return "wrong values: output '" + output + "' element " + i + " is '" + actual.strings()[i]
                            + "', expected '" + expected.strings()[i] + "'";
                }
            }
            return null;
        }
        double[] e = expected.numbers();
        double[] a = actual.numbers();
        int bad = 0;
        double worst = 0;
        for (int i = 0; i < e.length; i++) {
            if (!close(a[i], e[i])) {
                bad++;
                double d = Math.abs(a[i] - e[i]);
                worst = Double.isNaN(d) ? Double.NaN : Double.isNaN(worst) ? worst : Math.max(worst, d);
            }
        }
        if (bad == 0) return null;
        return String.format(Locale.ROOT, "wrong values: output '%s' has %d of %d elements off, max |a-b| %.2g",
                output, bad, e.length, worst);
    }

    static boolean close(double actual, double expected) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) return Double.isNaN(expected) && Double.isNaN(actual);
        if (Double.isInfinite(expected) || Double.isInfinite(actual)) return actual == expected;
        return Math.abs(actual - expected) <= ATOL + RTOL * Math.abs(expected);
    }
}
