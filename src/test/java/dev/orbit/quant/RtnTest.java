package dev.orbit.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Round-to-nearest against hand-computed values. */
class RtnTest {
    @Test
    void levelsAndPerTensor() {
        assertEquals(127, Rtn.levels(8));
        assertEquals(7, Rtn.levels(4));
        // int4, max |x| = 7: scale 1, so values round to integers; 2.5 rounds to even (rint), −7 stays
        assertArrayEquals(new double[] {7, 2, -3, 0, -7}, Rtn.perTensor(new double[] {7, 2.5, -3.4, 0.2, -7}, 4), 0);
        // a calibration scale smaller than the data clips: scale 0.5, int4 range ±3.5
        assertArrayEquals(new double[] {3.5, -3.5, 1.0}, Rtn.perTensor(new double[] {10, -10, 1.1}, 0.5, 4), 1e-15);
    }

    @Test
    void perChannelUsesOneScalePerOutputChannel() {
        // W [2 rows, 2 cols] = [[1, 100], [0.5, -50]]: per column (x·W) the small column keeps its precision
        double[] w = {1, 100, 0.5, -50};
        double[] q = Rtn.perChannel(w, 2, 2, 1, 4);
        assertArrayEquals(new double[] {1, 100, 4.0 / 7, -400.0 / 7}, q, 1e-12);
        // per row (Gemm transB): rows [1, 100] and [0.5, −50]
        double[] r = Rtn.perChannel(w, 2, 2, 0, 4);
        assertArrayEquals(new double[] {0, 100, 0, -50}, r, 1e-12);
    }
}
