package dev.orbit.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** float16 and bfloat16 from double are correctly rounded (ties to even), checked at every tie of every finite value. */
class HalfRoundingTest {
    private static final NdArray F16 = NdArray.zeros(DType.FLOAT16, 1);
    private static final NdArray BF16 = NdArray.zeros(DType.BFLOAT16, 1);

    private static short f16(double v) {
        F16.setAsDouble(0, v);
        return F16.segment().get(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, 0);
    }

    private static short bf16(double v) {
        BF16.setAsDouble(0, v);
        return BF16.segment().get(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, 0);
    }

    private static double bf16Value(int bits) { return Float.intBitsToFloat(bits << 16); }

    @Test
    void float16TiesGoToEvenAndNeighboursOfTiesGoToTheNearer() {
        for (int b = 0; b < 0x7bff; b++) { // every positive finite value but the largest, and its successor
            double lo = Float.float16ToFloat((short) b);
            double hi = Float.float16ToFloat((short) (b + 1));
            double mid = (lo + hi) / 2; // exact in double
            assertEquals((short) ((b & 1) == 0 ? b : b + 1), f16(mid), "tie above " + lo);
            assertEquals((short) b, f16(Math.nextDown(mid)), "just below the tie above " + lo);
            assertEquals((short) (b + 1), f16(Math.nextUp(mid)), "just above the tie above " + lo);
            assertEquals((short) (b | 0x8000), f16(-Math.nextDown(mid)), "negative, below the tie above " + lo);
            assertEquals((short) b, f16(lo), "exact value " + lo);
        }
    }

    @Test
    void bfloat16TiesGoToEvenAndNeighboursOfTiesGoToTheNearer() {
        for (int b = 0; b < 0x7f7f; b += 7) {
            double lo = bf16Value(b);
            double hi = bf16Value(b + 1);
            double mid = (lo + hi) / 2;
            assertEquals((short) ((b & 1) == 0 ? b : b + 1), bf16(mid), "tie above " + lo);
            assertEquals((short) b, bf16(Math.nextDown(mid)), "just below the tie above " + lo);
            assertEquals((short) (b + 1), bf16(Math.nextUp(mid)), "just above the tie above " + lo);
        }
    }

    @Test
    void specialValuesKeepTheirMeaning() {
        assertEquals((short) 0x7c00, f16(1e10), "overflow is infinity");
        assertEquals((short) 0x8000, f16(-0.0), "negative zero");
        assertEquals((short) 0x0001, f16(Math.pow(2, -24)), "smallest subnormal");
        assertEquals((short) 0x0000, f16(Math.pow(2, -26)), "below half the smallest subnormal rounds to zero");
        assertEquals(true, Float.isNaN(Float.float16ToFloat(f16(Double.NaN))));
        assertEquals(true, Double.isNaN(bf16Value(bf16(Double.NaN) & 0xffff)));
        assertEquals((short) 0x7f80, bf16(Double.POSITIVE_INFINITY));
    }
}
