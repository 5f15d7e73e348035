package dev.orbit.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

import org.junit.jupiter.api.Test;

/**
 * asinh/acosh against references computed in 120-digit decimal arithmetic (a BigDecimal logarithm from the atanh
 * series, and the Taylor series of asinh for tiny arguments), and against published constants.
 */
class HyperbolicMathTest {
    private static final MathContext MC = new MathContext(120, RoundingMode.HALF_EVEN);
    /** Two ulps: log1p and sqrt are each correctly rounded or nearly so. */
    private static final double REL = 4.5e-16;

    @Test
    void asinhMatchesHighPrecisionFromTinyToHuge() {
        double[] xs = {1e-300, 3e-200, 1e-20, 1e-10, 2.5e-8, 1e-5, 1e-3, 0.1, 0.5, 0.75, 1, 2, Math.PI, 10, 1e5, 1e10,
                2.68e8, 1e20, 1e200, Double.MAX_VALUE / 4};
        for (double x : xs) {
            assertClose(asinhRef(x), HyperbolicMath.asinh(x), "asinh(" + x + ")");
            assertClose(asinhRef(x).negate(), HyperbolicMath.asinh(-x), "asinh(" + -x + ")");
        }
        assertEquals(0.0, HyperbolicMath.asinh(0.0));
        assertEquals(Double.POSITIVE_INFINITY, HyperbolicMath.asinh(Double.POSITIVE_INFINITY));
        assertTrue(Double.isNaN(HyperbolicMath.asinh(Double.NaN)));
    }

    @Test
    void publishedConstants() {
        // asinh 1 = ln(1 + √2), acosh 2 = ln(2 + √3) (OEIS A091648, A065918)
        assertEquals(0.881373587019543025232609, HyperbolicMath.asinh(1), 2e-16);
        assertEquals(1.316957896924816708625046, HyperbolicMath.acosh(2), 3e-16);
    }

    @Test
    void acoshMatchesHighPrecisionNearOneAndLarge() {
        double[] xs = {1, Math.nextUp(1.0), 1 + 0x1p-30, 1.000001, 1.001, 1.5, 2, 10, 1e5, 1e10, 2.68e8, 1e20, 1e300};
        for (double x : xs) assertClose(acoshRef(new BigDecimal(x)), HyperbolicMath.acosh(x), "acosh(" + x + ")");
        assertTrue(Double.isNaN(HyperbolicMath.acosh(0.999)));
    }

    @Test
    void acosh1pKeepsPrecisionWhereOnePlusTWouldRound() {
        for (double t : new double[] {1e-300, 1e-30, 1e-16, 1e-8, 1e-3, 0.5, 3, 1e8, 1e100}) {
            // acosh(1 + t) = 2·asinh(√(t/2)): 1 + t itself would round away t at any fixed precision
            BigDecimal half = new BigDecimal(t).divide(BigDecimal.valueOf(2), MC).sqrt(MC);
            assertClose(asinhRef(half).multiply(BigDecimal.valueOf(2), MC), HyperbolicMath.acosh1p(t), "acosh1p(" + t + ")");
        }
    }

    @Test
    void distanceFormsAgree() {
        // 2·asinh(r/(2√(hk))) = arcosh(1 + r²/(2hk)) where the latter is accurate (well separated points)
        double[][] cases = {{1, 1, 1}, {4, 0.5, 2}, {100, 3, 0.1}, {0.25, 1, 1}};
        for (double[] c : cases) {
            double sep = c[0];
            double ref = HyperbolicMath.acosh(1 + sep / (2 * c[1] * c[2]));
            assertEquals(ref, HyperbolicMath.distanceFromSeparation(sep, c[1], c[2]), 1e-14 * ref);
        }
        // nearby points: the arcosh form loses every digit, the asinh form keeps them (d ≈ r/√(hk))
        assertEquals(1e-12, HyperbolicMath.distanceFromSeparation(1e-24, 1, 1), 1e-27);
        assertEquals(0.0, HyperbolicMath.acosh(1 + 1e-24 / 2));
    }

    private static void assertClose(BigDecimal ref, double got, String what) {
        double want = ref.doubleValue();
        if (want == 0) {
            assertEquals(0.0, got, what);
            return;
        }
        double err = Math.abs(got - want) / Math.abs(want);
        assertTrue(err <= REL, what + ": got " + got + ", want " + ref.round(new MathContext(25)) + " (relative error " + err + ")");
    }

    // ---- 120-digit references

    static BigDecimal asinhRef(double xd) { return asinhRef(new BigDecimal(xd)); }

    static BigDecimal asinhRef(BigDecimal x) {
        if (x.abs().compareTo(new BigDecimal("1e-6")) < 0) {
            // x − x³/6 + 3x⁵/40 − 15x⁷/336 …: a_{k+1} = −a_k·(2k+1)²/((2k+2)(2k+3))·x²
            BigDecimal term = x;
            BigDecimal sum = x;
            BigDecimal x2 = x.multiply(x, MC);
            for (int k = 0; k < 40; k++) {
                BigDecimal f = BigDecimal.valueOf((long) (2 * k + 1) * (2 * k + 1))
                        .divide(BigDecimal.valueOf((long) (2 * k + 2) * (2 * k + 3)), MC);
                term = term.multiply(f, MC).multiply(x2, MC).negate();
                sum = sum.add(term, MC);
            }
            return sum;
        }
        return ln(x.add(x.multiply(x, MC).add(BigDecimal.ONE, MC).sqrt(MC), MC));
    }

    static BigDecimal acoshRef(BigDecimal x) {
        return ln(x.add(x.multiply(x, MC).subtract(BigDecimal.ONE, MC).sqrt(MC), MC));
    }

    /** ln y = k·ln 2 + 2·atanh((m − 1)/(m + 1)) with y = m·2ᵏ, m ∈ [1, 2). */
    static BigDecimal ln(BigDecimal y) {
        if (y.signum() <= 0) throw new IllegalArgumentException("ln of " + y);
        int k = 0;
        BigDecimal two = BigDecimal.valueOf(2);
        // coarse reduction by powers of 2¹⁰⁰ first, so huge and tiny arguments take few steps
        BigDecimal big = two.pow(100);
        while (y.compareTo(big) >= 0) { y = y.divide(big, MC); k += 100; }
        while (y.compareTo(BigDecimal.ONE.divide(big, MC)) < 0) { y = y.multiply(big, MC); k -= 100; }
        while (y.compareTo(two) >= 0) { y = y.divide(two, MC); k++; }
        while (y.compareTo(BigDecimal.ONE) < 0) { y = y.multiply(two, MC); k--; }
        return atanhSeries(y).add(atanhSeries(two).multiply(BigDecimal.valueOf(k), MC), MC);
    }

    /** 2·atanh((m−1)/(m+1)) = ln m; for m ∈ [1, 2] the ratio is ≤ 1/3 and 250 terms are far more than enough. */
    private static BigDecimal atanhSeries(BigDecimal m) {
        BigDecimal z = m.subtract(BigDecimal.ONE).divide(m.add(BigDecimal.ONE), MC);
        BigDecimal z2 = z.multiply(z, MC);
        BigDecimal power = z;
        BigDecimal sum = BigDecimal.ZERO;
        for (int j = 0; j < 250; j++) {
            sum = sum.add(power.divide(BigDecimal.valueOf(2L * j + 1), MC), MC);
            power = power.multiply(z2, MC);
        }
        return sum.multiply(BigDecimal.valueOf(2), MC);
    }
}
