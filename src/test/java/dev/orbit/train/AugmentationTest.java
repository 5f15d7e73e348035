package dev.orbit.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import dev.orbit.tensor.NdArray;

class AugmentationTest {
    @Test
    void shiftMovesEachImageByOneWholePixelOffsetAndKeepsTheInput() {
        // one 4×4 image with a single lit pixel at (1, 2), 200 copies: every offset in [−1, 1]² must appear
        int n = 200;
        float[] x = new float[n * 16];
        for (int s = 0; s < n; s++) x[s * 16 + 4 + 2] = 1f;
        NdArray in = NdArray.ofFloats(x, n, 16);
        NdArray out = new Augmentation.Shift(1, 4, 4).apply(in, new SplittableRandom(3));
        assertArrayEquals(x, in.toFloatArray(), "input unchanged");
        boolean[][] seen = new boolean[3][3];
        float[] y = out.toFloatArray();
        for (int s = 0; s < n; s++) {
            int lit = -1;
            double sum = 0;
            for (int k = 0; k < 16; k++) {
                sum += y[s * 16 + k];
                if (y[s * 16 + k] == 1f) lit = k;
            }
            assertEquals(1.0, sum, "the pixel stays inside a 4×4 image when moved by at most 1");
            int dy = lit / 4 - 1;
            int dx = lit % 4 - 2;
            seen[dy + 1][dx + 1] = true;
        }
        for (boolean[] row : seen) for (boolean b : row) assertEquals(true, b, "every offset occurs");
        NdArray same = new Augmentation.Shift(0, 4, 4).apply(in, new SplittableRandom(1));
        assertSame(in, same);
    }

    @Test
    void pixelsShiftedOutAreDropped() {
        float[] x = new float[9];
        x[0] = 1f; // top-left of a 3×3 image
        NdArray in = NdArray.ofFloats(x, 1, 9);
        for (long seed = 0; seed < 20; seed++) {
            float[] y = new Augmentation.Shift(1, 3, 3).apply(in, new SplittableRandom(seed)).toFloatArray();
            double sum = 0;
            for (float v : y) sum += v;
            // the pixel survives only for offsets (0|1, 0|1)
            assertEquals(true, sum == 0 || sum == 1);
        }
    }
}
