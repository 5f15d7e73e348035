package dev.orbit.graph.build;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;
import dev.orbit.train.Initializer;

class InitializerTest {
    private static final long[] SQUARE = {512, 512};

    private static double std(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return dev.orbit.numeric.Stats.std(d);
    }

    private static void assertStd(double want, NdArray w) {
        assertEquals(DType.FLOAT32, w.dtype());
        float[] v = w.toFloatArray();
        double got = std(v);
        assertEquals(want, got, 0.05 * want, "empirical std " + got + " vs " + want);
        double mean = 0;
        for (float x : v) mean += x;
        assertEquals(0, mean / v.length, 0.05 * want, "mean");
    }

    @Test
    void kaimingStd() {
        assertStd(Math.sqrt(2) / Math.sqrt(512), new Initializer.Kaiming(Math.sqrt(2)).weight(SQUARE, new SplittableRandom(1)));
        assertStd(1.0 / Math.sqrt(32 * 9), new Initializer.Kaiming(1).weight(new long[] {64, 32, 3, 3}, new SplittableRandom(2)));
    }

    @Test
    void xavierStd() {
        assertStd(Math.sqrt(2.0 / 1024), new Initializer.Xavier(1).weight(SQUARE, new SplittableRandom(3)));
        // conv: fan_in = 32·9, fan_out = 64·9
        assertStd(2 * Math.sqrt(2.0 / (32 * 9 + 64 * 9)),
                new Initializer.Xavier(2).weight(new long[] {64, 32, 3, 3}, new SplittableRandom(4)));
    }

    @Test
    void gaussianStd() {
        assertStd(0.02, new Initializer.Gaussian(0.02).weight(SQUARE, new SplittableRandom(5)));
    }

    @Test
    void torchDefaultBoundsAndBias() {
        var init = new Initializer.TorchDefault();
        long[] shape = {512, 512};
        double bound = 1 / Math.sqrt(512);
        NdArray w = init.weight(shape, new SplittableRandom(6));
        for (float x : w.toFloatArray()) assertTrue(Math.abs(x) <= bound, "weight " + x + " outside ±" + bound);
        assertStd(bound / Math.sqrt(3), w); // uniform on [−b, b]
        double convBound = 1 / Math.sqrt(16 * 9);
        NdArray b = init.bias(new long[] {32, 16, 3, 3}, new SplittableRandom(7));
        assertArrayEquals(new long[] {32}, b.shape());
        boolean nonZero = false;
        for (float x : b.toFloatArray()) {
            assertTrue(Math.abs(x) <= convBound, "bias " + x + " outside ±" + convBound);
            nonZero |= x != 0;
        }
        assertTrue(nonZero, "PyTorch's default bias is random");
    }

    @Test
    void otherBiasesAreZero() {
        for (Initializer init : new Initializer[] {new Initializer.Kaiming(1), new Initializer.Xavier(1),
                new Initializer.Gaussian(0.1), new Initializer.Orthogonal(1)}) {
            NdArray b = init.bias(new long[] {10, 20}, new SplittableRandom(8));
            assertArrayEquals(new long[] {10}, b.shape());
            for (float x : b.toFloatArray()) assertEquals(0f, x, init.spec());
        }
    }

    /** max |WᵀW/g² − I| (columns) or |WWᵀ/g² − I| (rows) in double. */
    private static double orthoError(NdArray w, double gain, boolean rows) {
        int r = (int) w.dim(0);
        int c = (int) (w.size() / r);
        float[] v = w.toFloatArray();
        int n = rows ? r : c;
        int len = rows ? c : r;
        double worst = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double dot = 0;
                for (int k = 0; k < len; k++) {
                    double a = rows ? v[i * c + k] : v[k * c + i];
                    double b = rows ? v[j * c + k] : v[k * c + j];
                    dot += a * b;
                }
                worst = Math.max(worst, Math.abs(dot / (gain * gain) - (i == j ? 1 : 0)));
            }
        }
        return worst;
    }

    @Test
    void orthogonalIsOrthogonalWithGain() {
        NdArray sq = new Initializer.Orthogonal(1.2).weight(SQUARE, new SplittableRandom(9));
        assertTrue(orthoError(sq, 1.2, false) < 1e-5, "QᵀQ = I: " + orthoError(sq, 1.2, false));
        assertTrue(orthoError(sq, 1.2, true) < 1e-5, "QQᵀ = I");
        assertTrue(orthoError(sq, 1.0, false) > 0.4, "the gain is applied");
        // tall: orthonormal columns; wide conv kernel [64, 32·3·3]: orthonormal rows
        NdArray tall = new Initializer.Orthogonal(1).weight(new long[] {300, 100}, new SplittableRandom(10));
        assertTrue(orthoError(tall, 1, false) < 1e-5, "tall: columns orthonormal");
        NdArray conv = new Initializer.Orthogonal(2).weight(new long[] {64, 32, 3, 3}, new SplittableRandom(11));
        assertArrayEquals(new long[] {64, 32, 3, 3}, conv.shape());
        assertTrue(orthoError(conv, 2, true) < 1e-5, "wide: rows orthonormal");
    }

    @Test
    void orthogonalSignsAreCorrected() {
        // QR alone gives R a sign convention that biases Q's entries; Haar measure has Q₀₀ positive half the time
        int positive = 0;
        int trials = 400;
        SplittableRandom rng = new SplittableRandom(12);
        for (int t = 0; t < trials; t++) {
            if (new Initializer.Orthogonal(1).weight(new long[] {4, 4}, rng).getFloat(0) > 0) positive++;
        }
        assertTrue(positive > 0.4 * trials && positive < 0.6 * trials, positive + " of " + trials + " positive");
    }

    @Test
    void sameSeedSameWeights() {
        for (Initializer init : new Initializer[] {new Initializer.Kaiming(1), new Initializer.TorchDefault(),
                new Initializer.Orthogonal(1)}) {
            float[] a = init.weight(new long[] {20, 30}, new SplittableRandom(13)).toFloatArray();
            float[] b = init.weight(new long[] {20, 30}, new SplittableRandom(13)).toFloatArray();
            float[] c = init.weight(new long[] {20, 30}, new SplittableRandom(14)).toFloatArray();
            assertArrayEquals(a, b, init.spec());
            assertFalse(java.util.Arrays.equals(a, c), init.spec());
        }
    }

    @Test
    void parse() {
        assertEquals(new Initializer.Kaiming(Math.sqrt(2)), Initializer.parse("kaiming"));
        assertEquals(new Initializer.Kaiming(1.0), Initializer.parse("kaiming:1.0"));
        assertEquals(new Initializer.Kaiming(5.0 / 3), Initializer.parse("kaiming", 5.0 / 3));
        assertEquals(new Initializer.Xavier(1), Initializer.parse("xavier"));
        assertEquals(new Initializer.Gaussian(0.02), Initializer.parse("gaussian:0.02"));
        assertEquals(new Initializer.TorchDefault(), Initializer.parse("default"));
        assertEquals(new Initializer.Orthogonal(1.2), Initializer.parse("Orthogonal:1.2"));
        for (String s : new String[] {"kaiming:0.5", "xavier:2.0", "gaussian:0.1", "default", "orthogonal:1.0"}) {
            Initializer i = Initializer.parse(s);
            assertEquals(i, Initializer.parse(i.spec()), "spec round trip " + s);
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "''|empty initializer",
            "lecun|unknown initializer 'lecun'",
            "gaussian|needs a standard deviation",
            "kaiming:abc|'abc' is not a number",
            "kaiming:-1|must be positive",
            "default:2|takes no argument",
            "kaiming:1:2|more than one ':'",
    })
    void malformedInitializers(String text, String message) {
        var e = assertThrows(IllegalArgumentException.class, () -> Initializer.parse(text));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
