package dev.orbit.tensor;

/**
 * Correct rounding of doubles to float16 and bfloat16. Going through float with Java's round-to-nearest would
 * round twice and can land one ulp off at a tie; rounding to float with round-to-odd first is exact for any
 * target with at least two bits fewer than float's 24 (float16 has 11, bfloat16 8), so the second rounding
 * (ties to even) gives the correctly rounded result.
 */
final class HalfRounding {
    private HalfRounding() {}

    /** v rounded to float with round-to-odd: exact values stay, inexact ones land on the neighbour with an odd last bit. */
    static float roundToOdd(double v) {
        float f = (float) v;
        if ((double) f == v || Float.isNaN(f) || Float.isInfinite(f)) return f;
        float truncated = Math.abs((double) f) > Math.abs(v) ? (f > 0 ? Math.nextDown(f) : Math.nextUp(f)) : f;
        return Float.intBitsToFloat(Float.floatToRawIntBits(truncated) | 1);
    }

    /** A float rounded to bfloat16 (ties to even), as its 16-bit pattern; NaN stays a quiet NaN. */
    static short toBfloat16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) return (short) ((bits >>> 16) | 0x40);
        int rounded = bits + 0x7fff + ((bits >>> 16) & 1);
        return (short) (rounded >>> 16);
    }
}
