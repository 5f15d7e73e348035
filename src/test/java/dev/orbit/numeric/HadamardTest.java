package dev.orbit.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Paley and Sylvester orders, and the splits of real model widths. */
class HadamardTest {
    @Test
    void everyConstructedMatrixIsHadamard() {
        int built = 0;
        for (int m = 1; m <= Hadamard.MAX_SMALL_ORDER; m++) {
            if (!Hadamard.exists(m)) continue;
            double[][] h = Hadamard.matrix(m);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    double dot = 0;
                    for (int k = 0; k < m; k++) dot += h[i][k] * h[j][k];
                    assertEquals(i == j ? m : 0, dot, 0, "order " + m + " rows " + i + ", " + j);
                    assertEquals(1, Math.abs(h[i][j]), 0);
                }
            }
            built++;
        }
        assertEquals(true, built > 20, "orders built: " + built);
        for (int m : new int[] {12, 20, 28, 36, 44, 60}) assertEquals(true, Hadamard.exists(m), "order " + m);
    }

    @Test
    void realWidthsSplit() {
        assertEquals(new Hadamard.Split(1, 4096), Hadamard.split(4096));
        assertEquals(new Hadamard.Split(28, 128), Hadamard.split(3584));
        assertEquals(new Hadamard.Split(20, 256), Hadamard.split(5120));
        assertEquals(new Hadamard.Split(12, 256), Hadamard.split(3072));
        assertEquals(new Hadamard.Split(28, 32), Hadamard.split(896));
        assertEquals(new Hadamard.Split(36, 32), Hadamard.split(1152));
        assertNotNull(Hadamard.split(1536));
        assertNull(Hadamard.split(49), "49 has no construction here");
    }
}
