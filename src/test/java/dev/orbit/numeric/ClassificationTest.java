package dev.orbit.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ClassificationTest {
    @Test
    void argmaxTakesTheFirstOfEqualScores() {
        double[] scores = {0.1, 0.7, 0.7, 0.2, /* row 1 */ 3, -1, 2, 3};
        assertEquals(1, Classification.argmax(scores, 0, 4));
        assertEquals(0, Classification.argmax(scores, 1, 4));
        assertEquals(0.5, Classification.accuracy(scores, 4, new long[] {1, 2}));
        assertEquals(2, Classification.correct(new long[] {1, 2, 3}, new long[] {1, 0, 3}));
    }
}
