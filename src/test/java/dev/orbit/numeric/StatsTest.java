package dev.orbit.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void meanAndSampleStd() {
        assertEquals(2.5, Stats.mean(new double[] {1, 2, 3, 4}));
        assertEquals(Math.sqrt(5.0 / 3), Stats.std(new double[] {1, 2, 3, 4}), 1e-15);
        assertEquals(0, Stats.std(new double[] {7}));
    }
}
