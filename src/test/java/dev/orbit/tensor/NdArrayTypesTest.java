package dev.orbit.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;

/** Reading, writing and libtorch conversion of every element type, unsigned widening and its uint64 limit included. */
class NdArrayTypesTest {
    @Test
    void everyTypeStoresItsExtremesExactly() {
        record Case(DType t, long min, long max) {}
        for (Case c : new Case[] {new Case(DType.INT8, -128, 127), new Case(DType.UINT8, 0, 255),
                new Case(DType.INT16, -32768, 32767), new Case(DType.UINT16, 0, 65535),
                new Case(DType.INT32, Integer.MIN_VALUE, Integer.MAX_VALUE), new Case(DType.UINT32, 0, 0xffffffffL),
                new Case(DType.INT64, Long.MIN_VALUE, Long.MAX_VALUE)}) {
            NdArray a = NdArray.zeros(c.t(), 2);
            a.setAsLong(0, c.min());
            a.setAsLong(1, c.max());
            assertEquals(c.min(), a.getAsLong(0), c.t() + " min");
            assertEquals(c.max(), a.getAsLong(1), c.t() + " max");
            assertEquals(c.t().byteSize * 2, a.byteSize());
        }
        NdArray u = NdArray.zeros(DType.UINT64, 1);
        u.setAsLong(0, -1L); // 2^64 - 1
        assertEquals(18446744073709551615.0, u.getAsDouble(0));
    }

    @Test
    void halfTypesConvertThroughLibtorchWithoutChangingABit() {
        NdArray h = NdArray.ofFloats(new float[] {1.5f, -0.0f, 65504f, 6.1e-5f, Float.NaN}, 5).to(DType.FLOAT16);
        NdArray b = NdArray.ofFloats(new float[] {1.5f, -0.0f, 3.0e38f, 1e-30f, Float.NaN}, 5).to(DType.BFLOAT16);
        try (PointerScope scope = new PointerScope()) {
            assertArrayEquals(h.toBytes(), NdArray.fromTorch(h.torchView()).toBytes());
            assertArrayEquals(b.toBytes(), NdArray.fromTorch(b.torchView()).toBytes());
            assertEquals(DType.FLOAT16, NdArray.fromTorch(h.torchView()).dtype());
            assertEquals(DType.BFLOAT16, NdArray.fromTorch(b.torchView()).dtype());
        }
    }

    @Test
    void unsignedTypesAreWidenedToInt64AndNarrowedBack() {
        NdArray u32 = NdArray.zeros(DType.UINT32, 3);
        u32.setAsLong(0, 0xffffffffL);
        u32.setAsLong(1, 7);
        u32.setAsLong(2, 0x80000000L);
        NdArray u64 = NdArray.zeros(DType.UINT64, 2);
        u64.setAsLong(0, Long.MAX_VALUE);
        u64.setAsLong(1, 3);
        try (PointerScope scope = new PointerScope()) {
            var t = u32.torchView();
            assertEquals(DType.INT64, NdArray.fromTorch(t).dtype(), "computed in int64");
            assertArrayEquals(new long[] {0xffffffffL, 7, 0x80000000L}, NdArray.fromTorch(t).toLongArray(), "values, not bit patterns");
            assertArrayEquals(u32.toBytes(), NdArray.fromTorch(t, DType.UINT32).toBytes());
            assertArrayEquals(u64.toBytes(), NdArray.fromTorch(u64.torchView(), DType.UINT64).toBytes());
        }
    }

    @Test
    void uint64ValuesFromTwoToTheSixtyThreeOnAreRefusedForEvaluation() {
        NdArray u64 = NdArray.zeros(DType.UINT64, 2);
        u64.setAsLong(1, Long.MIN_VALUE); // 2^63
        var e = assertThrows(DType.UnsupportedDTypeException.class, u64::torchView);
        assertTrue(e.getMessage().contains("9223372036854775808") && e.getMessage().contains("index 1"), e.getMessage());
    }

    @Test
    void conversionRoundsFloatsAndKeepsIntegersExact() {
        NdArray f = NdArray.ofDoubles(new double[] {1.0 + Math.pow(2, -11), 1.0 + 3 * Math.pow(2, -11), -2.5}, 3);
        NdArray h = f.to(DType.FLOAT16);
        assertArrayEquals(new double[] {1.0, 1.0 + Math.pow(2, -9), -2.5}, h.toDoubleArray(), "ties to even");
        NdArray i = NdArray.ofLongs(new long[] {-1, 300}, 2).to(DType.UINT8);
        assertArrayEquals(new long[] {255, 44}, i.toLongArray(), "integers wrap to the width");
    }
}
