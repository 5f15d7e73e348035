package dev.orbit.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The relative errors on hand-computed cases, edge values included. */
class RelativeErrorTest {
    @Test
    void elementwiseIsSymmetricBoundedAndScaled() {
        assertEquals(0.5 / 4.5, RelativeError.of(2, 1.5, 1), 1e-15);
        assertEquals(RelativeError.of(1.5, 2, 1), RelativeError.of(2, 1.5, 1));
        assertEquals(0, RelativeError.of(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 1));
        assertEquals(1, RelativeError.of(Double.NaN, 1, 1));
        assertEquals(1, RelativeError.of(Double.POSITIVE_INFINITY, 1, 1));
        // ε = max |a| = 4: the element near zero is judged against the output's scale
        assertEquals(1e-3 / (1e-3 + 4), RelativeError.max(new double[] {4, 0}, new double[] {4, 1e-3}), 1e-18);
        assertEquals(Double.MIN_NORMAL, RelativeError.scale(new double[] {0, Double.NaN}));
    }

    @Test
    void normwise() {
        assertEquals(0.5, RelativeError.inL2Norm(new double[] {3, 4}, new double[] {3, 6.5}), 1e-15);
        assertEquals(0, RelativeError.inL2Norm(new double[] {0, 0}, new double[] {1, 1}));
        assertEquals(1.25, RelativeError.inMaxNorm(new double[] {1, 3}, new double[] {-4, 2}));
    }
}
